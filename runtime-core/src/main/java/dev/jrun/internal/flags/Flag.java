package dev.jrun.internal.flags;

import dev.jrun.bindings.Libc;
import dev.jrun.launch.Arg;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A named flag bit from the generated headers, so plans print {@code MS_BIND|MS_REC}, not 20480.
 *
 * @param name  the name in the C headers
 * @param value its value
 */
public record Flag(String name, long value) {

    public static final Flag AT_EMPTY_PATH = new Flag("AT_EMPTY_PATH", Libc.AT_EMPTY_PATH());
    public static final Flag AT_FDCWD = new Flag("AT_FDCWD", Libc.AT_FDCWD());
    public static final Flag AT_RECURSIVE = new Flag("AT_RECURSIVE", Libc.AT_RECURSIVE());
    public static final Flag AT_SYMLINK_NOFOLLOW = new Flag("AT_SYMLINK_NOFOLLOW", Libc.AT_SYMLINK_NOFOLLOW());
    public static final Flag CLONE_NEWCGROUP = new Flag("CLONE_NEWCGROUP", Libc.CLONE_NEWCGROUP());
    public static final Flag CLONE_PARENT = new Flag("CLONE_PARENT", Libc.CLONE_PARENT());
    public static final Flag SIGCHLD = new Flag("SIGCHLD", Libc.SIGCHLD());
    public static final Flag FD_CLOEXEC = new Flag("FD_CLOEXEC", Libc.FD_CLOEXEC());
    public static final Flag F_SETFD = new Flag("F_SETFD", Libc.F_SETFD());
    public static final Flag MNT_DETACH = new Flag("MNT_DETACH", Libc.MNT_DETACH());
    public static final Flag MS_BIND = new Flag("MS_BIND", Libc.MS_BIND());
    public static final Flag MS_DIRSYNC = new Flag("MS_DIRSYNC", Libc.MS_DIRSYNC());
    public static final Flag MS_I_VERSION = new Flag("MS_I_VERSION", Libc.MS_I_VERSION());
    public static final Flag MS_LAZYTIME = new Flag("MS_LAZYTIME", Libc.MS_LAZYTIME());
    public static final Flag MS_MANDLOCK = new Flag("MS_MANDLOCK", Libc.MS_MANDLOCK());
    public static final Flag MS_NOATIME = new Flag("MS_NOATIME", Libc.MS_NOATIME());
    public static final Flag MS_NODEV = new Flag("MS_NODEV", Libc.MS_NODEV());
    public static final Flag MS_NODIRATIME = new Flag("MS_NODIRATIME", Libc.MS_NODIRATIME());
    public static final Flag MS_NOEXEC = new Flag("MS_NOEXEC", Libc.MS_NOEXEC());
    public static final Flag MS_NOSUID = new Flag("MS_NOSUID", Libc.MS_NOSUID());
    public static final Flag MS_NOSYMFOLLOW = new Flag("MS_NOSYMFOLLOW", Libc.MS_NOSYMFOLLOW());
    public static final Flag MS_PRIVATE = new Flag("MS_PRIVATE", Libc.MS_PRIVATE());
    public static final Flag MS_RDONLY = new Flag("MS_RDONLY", Libc.MS_RDONLY());
    public static final Flag MS_REC = new Flag("MS_REC", Libc.MS_REC());
    public static final Flag MS_RELATIME = new Flag("MS_RELATIME", Libc.MS_RELATIME());
    public static final Flag MS_REMOUNT = new Flag("MS_REMOUNT", Libc.MS_REMOUNT());
    public static final Flag MS_SHARED = new Flag("MS_SHARED", Libc.MS_SHARED());
    public static final Flag MS_SILENT = new Flag("MS_SILENT", Libc.MS_SILENT());
    public static final Flag MS_SLAVE = new Flag("MS_SLAVE", Libc.MS_SLAVE());
    public static final Flag MS_STRICTATIME = new Flag("MS_STRICTATIME", Libc.MS_STRICTATIME());
    public static final Flag MS_SYNCHRONOUS = new Flag("MS_SYNCHRONOUS", Libc.MS_SYNCHRONOUS());
    public static final Flag MS_UNBINDABLE = new Flag("MS_UNBINDABLE", Libc.MS_UNBINDABLE());
    public static final Flag MOUNT_ATTR_RDONLY = new Flag("MOUNT_ATTR_RDONLY", Libc.MOUNT_ATTR_RDONLY());
    public static final Flag MOUNT_ATTR_NOSUID = new Flag("MOUNT_ATTR_NOSUID", Libc.MOUNT_ATTR_NOSUID());
    public static final Flag MOUNT_ATTR_NODEV = new Flag("MOUNT_ATTR_NODEV", Libc.MOUNT_ATTR_NODEV());
    public static final Flag MOUNT_ATTR_NOEXEC = new Flag("MOUNT_ATTR_NOEXEC", Libc.MOUNT_ATTR_NOEXEC());
    public static final Flag MOUNT_ATTR_NODIRATIME = new Flag("MOUNT_ATTR_NODIRATIME", Libc.MOUNT_ATTR_NODIRATIME());
    public static final Flag MOUNT_ATTR_NOSYMFOLLOW = new Flag("MOUNT_ATTR_NOSYMFOLLOW", Libc.MOUNT_ATTR_NOSYMFOLLOW());
    public static final Flag MOUNT_ATTR_NOATIME = new Flag("MOUNT_ATTR_NOATIME", Libc.MOUNT_ATTR_NOATIME());
    public static final Flag MOUNT_ATTR_STRICTATIME = new Flag("MOUNT_ATTR_STRICTATIME", Libc.MOUNT_ATTR_STRICTATIME());
    public static final Flag MOUNT_ATTR_RELATIME = new Flag("MOUNT_ATTR_RELATIME", Libc.MOUNT_ATTR_RELATIME());
    public static final Flag MOUNT_ATTR_ATIME_MASK = new Flag("MOUNT_ATTR__ATIME", Libc.MOUNT_ATTR__ATIME());
    public static final Flag AF_INET = new Flag("AF_INET", Libc.AF_INET());
    public static final Flag SOCK_DGRAM = new Flag("SOCK_DGRAM", Libc.SOCK_DGRAM());
    public static final Flag SOCK_CLOEXEC = new Flag("SOCK_CLOEXEC", Libc.SOCK_CLOEXEC());
    public static final Flag SIOCSIFFLAGS = new Flag("SIOCSIFFLAGS", Libc.SIOCSIFFLAGS());
    public static final Flag TIOCSCTTY = new Flag("TIOCSCTTY", Libc.TIOCSCTTY());
    public static final Flag TIOCSPTLCK = new Flag("TIOCSPTLCK", Libc.TIOCSPTLCK());
    public static final Flag TIOCGPTPEER = new Flag("TIOCGPTPEER", Libc.TIOCGPTPEER());
    public static final Flag S_IFREG = new Flag("S_IFREG", Libc.S_IFREG());
    public static final Flag S_IFCHR = new Flag("S_IFCHR", Libc.S_IFCHR());
    public static final Flag S_IFBLK = new Flag("S_IFBLK", Libc.S_IFBLK());
    public static final Flag S_IFIFO = new Flag("S_IFIFO", Libc.S_IFIFO());
    public static final Flag O_RDONLY = new Flag("O_RDONLY", Libc.O_RDONLY());
    public static final Flag O_RDWR = new Flag("O_RDWR", Libc.O_RDWR());
    public static final Flag O_NOCTTY = new Flag("O_NOCTTY", Libc.O_NOCTTY());
    public static final Flag TIOCSWINSZ = new Flag("TIOCSWINSZ", Libc.TIOCSWINSZ());
    public static final Flag O_WRONLY = new Flag("O_WRONLY", Libc.O_WRONLY());
    public static final Flag O_PATH = new Flag("O_PATH", Libc.O_PATH());
    public static final Flag O_NOFOLLOW = new Flag("O_NOFOLLOW", Libc.O_NOFOLLOW());
    public static final Flag O_DIRECTORY = new Flag("O_DIRECTORY", Libc.O_DIRECTORY());
    public static final Flag O_CREAT = new Flag("O_CREAT", Libc.O_CREAT());
    public static final Flag O_EXCL = new Flag("O_EXCL", Libc.O_EXCL());
    public static final Flag O_NONBLOCK = new Flag("O_NONBLOCK", Libc.O_NONBLOCK());
    public static final Flag RESOLVE_BENEATH = new Flag("RESOLVE_BENEATH", Libc.RESOLVE_BENEATH());
    public static final Flag RESOLVE_IN_ROOT = new Flag("RESOLVE_IN_ROOT", Libc.RESOLVE_IN_ROOT());
    public static final Flag RESOLVE_NO_MAGICLINKS = new Flag("RESOLVE_NO_MAGICLINKS", Libc.RESOLVE_NO_MAGICLINKS());
    public static final Flag RESOLVE_NO_SYMLINKS = new Flag("RESOLVE_NO_SYMLINKS", Libc.RESOLVE_NO_SYMLINKS());
    public static final Flag OPEN_TREE_CLONE = new Flag("OPEN_TREE_CLONE", Libc.OPEN_TREE_CLONE());
    public static final Flag OPEN_TREE_CLOEXEC = new Flag("OPEN_TREE_CLOEXEC", Libc.OPEN_TREE_CLOEXEC());
    public static final Flag MOVE_MOUNT_F_EMPTY_PATH = new Flag("MOVE_MOUNT_F_EMPTY_PATH", Libc.MOVE_MOUNT_F_EMPTY_PATH());
    public static final Flag MOVE_MOUNT_T_EMPTY_PATH = new Flag("MOVE_MOUNT_T_EMPTY_PATH", Libc.MOVE_MOUNT_T_EMPTY_PATH());
    public static final Flag O_CLOEXEC = new Flag("O_CLOEXEC", Libc.O_CLOEXEC());
    public static final Flag PR_CAPBSET_DROP = new Flag("PR_CAPBSET_DROP", Libc.PR_CAPBSET_DROP());
    public static final Flag PR_CAP_AMBIENT = new Flag("PR_CAP_AMBIENT", Libc.PR_CAP_AMBIENT());
    public static final Flag PR_CAP_AMBIENT_CLEAR_ALL = new Flag("PR_CAP_AMBIENT_CLEAR_ALL", Libc.PR_CAP_AMBIENT_CLEAR_ALL());
    public static final Flag PR_CAP_AMBIENT_RAISE = new Flag("PR_CAP_AMBIENT_RAISE", Libc.PR_CAP_AMBIENT_RAISE());
    public static final Flag PR_SET_KEEPCAPS = new Flag("PR_SET_KEEPCAPS", Libc.PR_SET_KEEPCAPS());
    public static final Flag PR_SET_NO_NEW_PRIVS = new Flag("PR_SET_NO_NEW_PRIVS", Libc.PR_SET_NO_NEW_PRIVS());
    public static final Flag PR_SET_PDEATHSIG = new Flag("PR_SET_PDEATHSIG", Libc.PR_SET_PDEATHSIG());
    public static final Flag SIGKILL = new Flag("SIGKILL", Libc.SIGKILL());
    public static final Flag SECCOMP_SET_MODE_FILTER = new Flag("SECCOMP_SET_MODE_FILTER", Libc.SECCOMP_SET_MODE_FILTER());

    /** {@return the flags OR-ed together, shown by name} */
    public static Arg all(Flag... flags) {
        return Arg.named(bits(flags), names(flags));
    }

    /** {@return the flags OR-ed together} */
    public static long bits(Flag... flags) {
        return Arrays.stream(flags).mapToLong(Flag::value).reduce(0, (a, b) -> a | b);
    }

    /** {@return the flags' names as C writes them OR-ed, {@code 0} for none} */
    public static String names(Flag... flags) {
        return flags.length == 0 ? "0" : Arrays.stream(flags).map(Flag::name).collect(Collectors.joining("|"));
    }

    /** {@return this flag alone, as an argument} */
    public Arg arg() {
        return Arg.named(value, name);
    }
}
