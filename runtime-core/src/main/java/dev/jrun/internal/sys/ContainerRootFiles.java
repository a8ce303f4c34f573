package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;

import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * The files of a running container's root, seen from the host by descriptor: the root is
 * {@code /proc/PID/root} of the container's process, so its mounts are there as the process sees
 * them, and every path is resolved by the kernel with {@code RESOLVE_IN_ROOT}, so that a symlink
 * of the image, absolute or climbing with {@code ..}, leads to a file of the root and never to
 * one of the host.
 */
public final class ContainerRootFiles implements AutoCloseable {

    /** What a path of the root is to {@code execve}. */
    public enum Executability {
        /** Nothing is there, or a directory on the way is missing or is not one. */
        MISSING,
        /** A directory, or a file without execute permission or on a {@code noexec} mount. */
        NOT_EXECUTABLE,
        /** A file {@code execve} may run. */
        EXECUTABLE
    }

    private final int root;

    private ContainerRootFiles(int root) {
        this.root = root;
    }

    /** {@return the root of process {@code pid}, opened as a descriptor} */
    public static ContainerRootFiles ofProcess(int pid) {
        return new ContainerRootFiles(Descriptors.open("/proc/" + pid + "/root", Libc.O_PATH() | Libc.O_DIRECTORY()));
    }

    /**
     * {@return what {@code path} (absolute, within the root) is to {@code execve}}; the check is
     * the host root's: permission bits, {@code noexec}, not the container user's
     *
     * @throws SystemCallException if the path cannot be resolved for another reason ({@code ELOOP}...)
     */
    public Executability executability(String path) {
        int file;
        try {
            file = openInRoot(path);
        } catch (SystemCallException e) {
            if (e.errno() == Libc.ENOENT() || e.errno() == Libc.ENOTDIR()) {
                return Executability.MISSING;
            }
            throw e;
        }
        try {
            return isDirectory(file) || !executable(file, path) ? Executability.NOT_EXECUTABLE : Executability.EXECUTABLE;
        } finally {
            Descriptors.close(file);
        }
    }

    @Override
    public void close() {
        Descriptors.close(root);
    }

    private int openInRoot(String path) {
        return Descriptors.openat2(root, path, Libc.O_PATH(), Libc.RESOLVE_IN_ROOT() | Libc.RESOLVE_NO_MAGICLINKS());
    }

    /** A directory opens as one through its own descriptor; anything else fails with {@code ENOTDIR}. */
    private static boolean isDirectory(int file) {
        try (Arena arena = Arena.ofConfined()) {
            Descriptors.close((int) RawSyscall.OPENAT.call("\".\"", file, arena.allocateFrom(".").address(),
                    Libc.O_PATH() | Libc.O_DIRECTORY() | Libc.O_CLOEXEC(), 0));
            return true;
        } catch (SystemCallException e) {
            if (e.errno() == Libc.ENOTDIR()) {
                return false;
            }
            throw e;
        }
    }

    private static boolean executable(int file, String path) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.FACCESSAT2.call(quote(path), file, arena.allocateFrom("").address(), Libc.X_OK(),
                    Libc.AT_EACCESS() | Libc.AT_EMPTY_PATH());
            return true;
        } catch (SystemCallException e) {
            if (e.errno() == Libc.EACCES()) {
                return false;
            }
            throw e;
        }
    }
}
