package dev.jrun.internal.plan;

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

    static final Flag AT_EMPTY_PATH = new Flag("AT_EMPTY_PATH", Libc.AT_EMPTY_PATH());
    static final Flag AT_FDCWD = new Flag("AT_FDCWD", Libc.AT_FDCWD());
    static final Flag AT_RECURSIVE = new Flag("AT_RECURSIVE", Libc.AT_RECURSIVE());
    static final Flag AT_SYMLINK_NOFOLLOW = new Flag("AT_SYMLINK_NOFOLLOW", Libc.AT_SYMLINK_NOFOLLOW());
    static final Flag CLONE_NEWCGROUP = new Flag("CLONE_NEWCGROUP", Libc.CLONE_NEWCGROUP());
    static final Flag CLONE_PARENT = new Flag("CLONE_PARENT", Libc.CLONE_PARENT());
    static final Flag SIGCHLD = new Flag("SIGCHLD", Libc.SIGCHLD());
    static final Flag FD_CLOEXEC = new Flag("FD_CLOEXEC", Libc.FD_CLOEXEC());
    static final Flag F_SETFD = new Flag("F_SETFD", Libc.F_SETFD());
    static final Flag MNT_DETACH = new Flag("MNT_DETACH", Libc.MNT_DETACH());
    static final Flag MS_BIND = new Flag("MS_BIND", Libc.MS_BIND());
    static final Flag MS_DIRSYNC = new Flag("MS_DIRSYNC", Libc.MS_DIRSYNC());
    static final Flag MS_I_VERSION = new Flag("MS_I_VERSION", Libc.MS_I_VERSION());
    static final Flag MS_LAZYTIME = new Flag("MS_LAZYTIME", Libc.MS_LAZYTIME());
    static final Flag MS_MANDLOCK = new Flag("MS_MANDLOCK", Libc.MS_MANDLOCK());
    static final Flag MS_NOATIME = new Flag("MS_NOATIME", Libc.MS_NOATIME());
    static final Flag MS_NODEV = new Flag("MS_NODEV", Libc.MS_NODEV());
    static final Flag MS_NODIRATIME = new Flag("MS_NODIRATIME", Libc.MS_NODIRATIME());
    static final Flag MS_NOEXEC = new Flag("MS_NOEXEC", Libc.MS_NOEXEC());
    static final Flag MS_NOSUID = new Flag("MS_NOSUID", Libc.MS_NOSUID());
    static final Flag MS_NOSYMFOLLOW = new Flag("MS_NOSYMFOLLOW", Libc.MS_NOSYMFOLLOW());
    static final Flag MS_PRIVATE = new Flag("MS_PRIVATE", Libc.MS_PRIVATE());
    static final Flag MS_RDONLY = new Flag("MS_RDONLY", Libc.MS_RDONLY());
    static final Flag MS_REC = new Flag("MS_REC", Libc.MS_REC());
    static final Flag MS_RELATIME = new Flag("MS_RELATIME", Libc.MS_RELATIME());
    static final Flag MS_REMOUNT = new Flag("MS_REMOUNT", Libc.MS_REMOUNT());
    static final Flag MS_SHARED = new Flag("MS_SHARED", Libc.MS_SHARED());
    static final Flag MS_SILENT = new Flag("MS_SILENT", Libc.MS_SILENT());
    static final Flag MS_SLAVE = new Flag("MS_SLAVE", Libc.MS_SLAVE());
    static final Flag MS_STRICTATIME = new Flag("MS_STRICTATIME", Libc.MS_STRICTATIME());
    static final Flag MS_SYNCHRONOUS = new Flag("MS_SYNCHRONOUS", Libc.MS_SYNCHRONOUS());
    static final Flag MS_UNBINDABLE = new Flag("MS_UNBINDABLE", Libc.MS_UNBINDABLE());
    static final Flag MOUNT_ATTR_RDONLY = new Flag("MOUNT_ATTR_RDONLY", Libc.MOUNT_ATTR_RDONLY());
    static final Flag MOUNT_ATTR_NOSUID = new Flag("MOUNT_ATTR_NOSUID", Libc.MOUNT_ATTR_NOSUID());
    static final Flag MOUNT_ATTR_NODEV = new Flag("MOUNT_ATTR_NODEV", Libc.MOUNT_ATTR_NODEV());
    static final Flag MOUNT_ATTR_NOEXEC = new Flag("MOUNT_ATTR_NOEXEC", Libc.MOUNT_ATTR_NOEXEC());
    static final Flag MOUNT_ATTR_NODIRATIME = new Flag("MOUNT_ATTR_NODIRATIME", Libc.MOUNT_ATTR_NODIRATIME());
    static final Flag MOUNT_ATTR_NOSYMFOLLOW = new Flag("MOUNT_ATTR_NOSYMFOLLOW", Libc.MOUNT_ATTR_NOSYMFOLLOW());
    static final Flag MOUNT_ATTR_NOATIME = new Flag("MOUNT_ATTR_NOATIME", Libc.MOUNT_ATTR_NOATIME());
    static final Flag MOUNT_ATTR_STRICTATIME = new Flag("MOUNT_ATTR_STRICTATIME", Libc.MOUNT_ATTR_STRICTATIME());
    static final Flag MOUNT_ATTR_RELATIME = new Flag("MOUNT_ATTR_RELATIME", Libc.MOUNT_ATTR_RELATIME());
    static final Flag MOUNT_ATTR_ATIME_MASK = new Flag("MOUNT_ATTR__ATIME", Libc.MOUNT_ATTR__ATIME());
    static final Flag AF_INET = new Flag("AF_INET", Libc.AF_INET());
    static final Flag SOCK_DGRAM = new Flag("SOCK_DGRAM", Libc.SOCK_DGRAM());
    static final Flag SOCK_CLOEXEC = new Flag("SOCK_CLOEXEC", Libc.SOCK_CLOEXEC());
    static final Flag SIOCSIFFLAGS = new Flag("SIOCSIFFLAGS", Libc.SIOCSIFFLAGS());
    static final Flag TIOCSCTTY = new Flag("TIOCSCTTY", Libc.TIOCSCTTY());
    static final Flag TIOCSPTLCK = new Flag("TIOCSPTLCK", Libc.TIOCSPTLCK());
    static final Flag TIOCGPTPEER = new Flag("TIOCGPTPEER", Libc.TIOCGPTPEER());
    static final Flag S_IFREG = new Flag("S_IFREG", Libc.S_IFREG());
    static final Flag S_IFCHR = new Flag("S_IFCHR", Libc.S_IFCHR());
    static final Flag S_IFBLK = new Flag("S_IFBLK", Libc.S_IFBLK());
    static final Flag S_IFIFO = new Flag("S_IFIFO", Libc.S_IFIFO());
    static final Flag O_RDONLY = new Flag("O_RDONLY", Libc.O_RDONLY());
    static final Flag O_RDWR = new Flag("O_RDWR", Libc.O_RDWR());
    static final Flag O_NOCTTY = new Flag("O_NOCTTY", Libc.O_NOCTTY());
    static final Flag TIOCSWINSZ = new Flag("TIOCSWINSZ", Libc.TIOCSWINSZ());
    static final Flag O_WRONLY = new Flag("O_WRONLY", Libc.O_WRONLY());
    static final Flag O_PATH = new Flag("O_PATH", Libc.O_PATH());
    static final Flag O_NOFOLLOW = new Flag("O_NOFOLLOW", Libc.O_NOFOLLOW());
    static final Flag O_DIRECTORY = new Flag("O_DIRECTORY", Libc.O_DIRECTORY());
    static final Flag RESOLVE_IN_ROOT = new Flag("RESOLVE_IN_ROOT", Libc.RESOLVE_IN_ROOT());
    static final Flag RESOLVE_NO_MAGICLINKS = new Flag("RESOLVE_NO_MAGICLINKS", Libc.RESOLVE_NO_MAGICLINKS());
    static final Flag RESOLVE_NO_SYMLINKS = new Flag("RESOLVE_NO_SYMLINKS", Libc.RESOLVE_NO_SYMLINKS());
    static final Flag OPEN_TREE_CLONE = new Flag("OPEN_TREE_CLONE", Libc.OPEN_TREE_CLONE());
    static final Flag OPEN_TREE_CLOEXEC = new Flag("OPEN_TREE_CLOEXEC", Libc.OPEN_TREE_CLOEXEC());
    static final Flag MOVE_MOUNT_F_EMPTY_PATH = new Flag("MOVE_MOUNT_F_EMPTY_PATH", Libc.MOVE_MOUNT_F_EMPTY_PATH());
    static final Flag MOVE_MOUNT_T_EMPTY_PATH = new Flag("MOVE_MOUNT_T_EMPTY_PATH", Libc.MOVE_MOUNT_T_EMPTY_PATH());
    static final Flag O_CLOEXEC = new Flag("O_CLOEXEC", Libc.O_CLOEXEC());
    static final Flag PR_CAPBSET_DROP = new Flag("PR_CAPBSET_DROP", Libc.PR_CAPBSET_DROP());
    static final Flag PR_CAP_AMBIENT = new Flag("PR_CAP_AMBIENT", Libc.PR_CAP_AMBIENT());
    static final Flag PR_CAP_AMBIENT_CLEAR_ALL = new Flag("PR_CAP_AMBIENT_CLEAR_ALL", Libc.PR_CAP_AMBIENT_CLEAR_ALL());
    static final Flag PR_CAP_AMBIENT_RAISE = new Flag("PR_CAP_AMBIENT_RAISE", Libc.PR_CAP_AMBIENT_RAISE());
    static final Flag PR_SET_KEEPCAPS = new Flag("PR_SET_KEEPCAPS", Libc.PR_SET_KEEPCAPS());
    static final Flag PR_SET_NO_NEW_PRIVS = new Flag("PR_SET_NO_NEW_PRIVS", Libc.PR_SET_NO_NEW_PRIVS());
    static final Flag PR_SET_PDEATHSIG = new Flag("PR_SET_PDEATHSIG", Libc.PR_SET_PDEATHSIG());
    static final Flag SIGKILL = new Flag("SIGKILL", Libc.SIGKILL());
    static final Flag SECCOMP_SET_MODE_FILTER = new Flag("SECCOMP_SET_MODE_FILTER", Libc.SECCOMP_SET_MODE_FILTER());

    /** {@return the flags OR-ed together, shown by name} */
    static Arg all(Flag... flags) {
        return Arg.named(bits(flags), names(flags));
    }

    /** {@return the flags OR-ed together} */
    static long bits(Flag... flags) {
        return Arrays.stream(flags).mapToLong(Flag::value).reduce(0, (a, b) -> a | b);
    }

    /** {@return the flags' names as C writes them OR-ed, {@code 0} for none} */
    static String names(Flag... flags) {
        return flags.length == 0 ? "0" : Arrays.stream(flags).map(Flag::name).collect(Collectors.joining("|"));
    }

    /** {@return this flag alone, as an argument} */
    Arg arg() {
        return Arg.named(value, name);
    }
}
