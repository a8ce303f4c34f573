package dev.jrun.launch;

import dev.jrun.bindings.Libc;

/**
 * A system call the launch stub can make, with its number on this machine's
 * architecture, taken from the generated {@code <sys/syscall.h>} bindings.
 *
 * @param name   the name strace shows
 * @param number the syscall number
 */
public record Syscall(String name, long number) {

    public static final Syscall CAPSET = new Syscall("capset", Libc.SYS_capset());
    public static final Syscall CHDIR = new Syscall("chdir", Libc.SYS_chdir());
    public static final Syscall CHROOT = new Syscall("chroot", Libc.SYS_chroot());
    public static final Syscall CLONE = new Syscall("clone", Libc.SYS_clone());
    public static final Syscall CLOSE = new Syscall("close", Libc.SYS_close());
    public static final Syscall CLOSE_RANGE = new Syscall("close_range", Libc.SYS_close_range());
    public static final Syscall CONNECT = new Syscall("connect", Libc.SYS_connect());
    public static final Syscall DUP3 = new Syscall("dup3", Libc.SYS_dup3());
    public static final Syscall EXECVE = new Syscall("execve", Libc.SYS_execve());
    public static final Syscall EXIT_GROUP = new Syscall("exit_group", Libc.SYS_exit_group());
    public static final Syscall FCNTL = new Syscall("fcntl", Libc.SYS_fcntl());
    public static final Syscall FCHMOD = new Syscall("fchmod", Libc.SYS_fchmod());
    public static final Syscall FCHMODAT = new Syscall("fchmodat", Libc.SYS_fchmodat());
    public static final Syscall FCHOWNAT = new Syscall("fchownat", Libc.SYS_fchownat());
    public static final Syscall IOPRIO_SET = new Syscall("ioprio_set", Libc.SYS_ioprio_set());
    public static final Syscall IOCTL = new Syscall("ioctl", Libc.SYS_ioctl());
    public static final Syscall MKDIRAT = new Syscall("mkdirat", Libc.SYS_mkdirat());
    public static final Syscall MKNODAT = new Syscall("mknodat", Libc.SYS_mknodat());
    public static final Syscall MOUNT = new Syscall("mount", Libc.SYS_mount());
    public static final Syscall MOVE_MOUNT = new Syscall("move_mount", Libc.SYS_move_mount());
    public static final Syscall MOUNT_SETATTR = new Syscall("mount_setattr", Libc.SYS_mount_setattr());
    public static final Syscall OPENAT = new Syscall("openat", Libc.SYS_openat());
    public static final Syscall OPENAT2 = new Syscall("openat2", Libc.SYS_openat2());
    public static final Syscall OPEN_TREE = new Syscall("open_tree", Libc.SYS_open_tree());
    public static final Syscall PERSONALITY = new Syscall("personality", Libc.SYS_personality());
    public static final Syscall PIVOT_ROOT = new Syscall("pivot_root", Libc.SYS_pivot_root());
    public static final Syscall PRCTL = new Syscall("prctl", Libc.SYS_prctl());
    public static final Syscall PRLIMIT64 = new Syscall("prlimit64", Libc.SYS_prlimit64());
    public static final Syscall READ = new Syscall("read", Libc.SYS_read());
    public static final Syscall SCHED_SETATTR = new Syscall("sched_setattr", Libc.SYS_sched_setattr());
    public static final Syscall SECCOMP = new Syscall("seccomp", Libc.SYS_seccomp());
    public static final Syscall SENDMSG = new Syscall("sendmsg", Libc.SYS_sendmsg());
    public static final Syscall SENDFILE = new Syscall("sendfile", Libc.SYS_sendfile());
    public static final Syscall SETDOMAINNAME = new Syscall("setdomainname", Libc.SYS_setdomainname());
    public static final Syscall SETGROUPS = new Syscall("setgroups", Libc.SYS_setgroups());
    public static final Syscall SETHOSTNAME = new Syscall("sethostname", Libc.SYS_sethostname());
    public static final Syscall SETNS = new Syscall("setns", Libc.SYS_setns());
    public static final Syscall SETRESGID = new Syscall("setresgid", Libc.SYS_setresgid());
    public static final Syscall SETRESUID = new Syscall("setresuid", Libc.SYS_setresuid());
    public static final Syscall SETSID = new Syscall("setsid", Libc.SYS_setsid());
    public static final Syscall SOCKET = new Syscall("socket", Libc.SYS_socket());
    public static final Syscall SYMLINKAT = new Syscall("symlinkat", Libc.SYS_symlinkat());
    public static final Syscall UMASK = new Syscall("umask", Libc.SYS_umask());
    public static final Syscall UMOUNT2 = new Syscall("umount2", Libc.SYS_umount2());
    public static final Syscall UNSHARE = new Syscall("unshare", Libc.SYS_unshare());
    public static final Syscall UTIMENSAT = new Syscall("utimensat", Libc.SYS_utimensat());
    public static final Syscall WRITE = new Syscall("write", Libc.SYS_write());
}
