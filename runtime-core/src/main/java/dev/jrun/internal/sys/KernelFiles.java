package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * Writes to and directories of the kernel's own filesystems (cgroupfs,
 * {@code /proc/<pid>/uid_map}), where a write is a request the kernel may
 * refuse: errors name the value, the path and the errno, e.g.
 * {@code write "500" to /sys/fs/cgroup/cpu/x/cpu.cfs_quota_us: EINVAL (Invalid argument)}.
 */
public final class KernelFiles {

    private static final int DIRECTORY_MODE = 0755;

    private KernelFiles() {
    }

    /** Writes {@code value} to {@code file} in one {@code write}, as these files want it. */
    public static void write(Path file, String value) {
        int fd;
        try {
            fd = Descriptors.open(file.toString(), Libc.O_WRONLY());
        } catch (SystemCallException e) {
            throw new SystemCallException("open " + file + " to write " + quote(value.strip()), e.errno());
        }
        try (Arena arena = Arena.ofConfined()) {
            Descriptors.writeFully(fd, arena.allocateFrom(ValueLayout.JAVA_BYTE, value.getBytes(StandardCharsets.UTF_8)));
        } catch (SystemCallException e) {
            throw new SystemCallException("write " + quote(value.strip()) + " to " + file, e.errno());
        } finally {
            Descriptors.close(fd);
        }
    }

    /** Creates the directory {@code dir}; {@return false if it already existed} */
    public static boolean mkdir(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.MKDIRAT.call(quote(dir.toString()), Libc.AT_FDCWD(), arena.allocateFrom(dir.toString()).address(),
                    DIRECTORY_MODE);
            return true;
        } catch (SystemCallException e) {
            if (e.errno() == Libc.EEXIST()) {
                return false;
            }
            throw e;
        }
    }

    /** Removes the empty directory {@code dir}; one that is already gone is no error. */
    public static void rmdir(Path dir) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.RMDIR.call(quote(dir.toString()), arena.allocateFrom(dir.toString()).address());
        } catch (SystemCallException e) {
            if (e.errno() != Libc.ENOENT()) {
                throw e;
            }
        }
    }
}
