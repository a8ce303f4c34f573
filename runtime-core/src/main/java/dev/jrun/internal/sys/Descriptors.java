package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.open_how;
import dev.jrun.bindings.pollfd;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.jrun.bindings.Libc.C_INT;
import static dev.jrun.internal.sys.NativeFunction.quote;

/** File descriptor calls: pipes, memfds, reads and writes. */
public final class Descriptors {

    /** The seals of a finished memfd: no write, no growing, no shrinking, no change to the seals themselves. */
    private static final int ALL_SEALS =
            Libc.F_SEAL_WRITE() | Libc.F_SEAL_GROW() | Libc.F_SEAL_SHRINK() | Libc.F_SEAL_SEAL();

    private Descriptors() {
    }

    /** A pipe: bytes written to {@code writeEnd} are read from {@code readEnd}. */
    public record Pipe(int readEnd, int writeEnd) {
    }

    /** Closes a descriptor. */
    public static void close(int fd) {
        RawSyscall.CLOSE.call(Integer.toString(fd), fd);
    }

    /** Closes a descriptor unless it is the "none" value -1. */
    public static void closeIfOpen(int fd) {
        if (fd >= 0) {
            close(fd);
        }
    }

    /** {@return a new close-on-exec pipe} */
    public static Pipe pipe() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(C_INT, 2);
            RawSyscall.PIPE2.call("", fds.address(), Libc.O_CLOEXEC());
            return new Pipe(fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1));
        }
    }

    /**
     * {@return a close-on-exec anonymous in-memory file holding {@code content}, sealed so that nobody
     * can change it any more: not by a write, a shared writable mapping or a reopen through
     * {@code /proc/<pid>/fd}, not by growing or shrinking it, and its seals cannot be lifted}
     */
    public static int sealedMemfd(String name, MemorySegment content) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) RawSyscall.MEMFD_CREATE.call(quote(name), arena.allocateFrom(name).address(),
                    Libc.MFD_CLOEXEC() | Libc.MFD_ALLOW_SEALING());
        }
        try {
            writeFully(fd, content);
            fcntl(fd, Libc.F_ADD_SEALS(), ALL_SEALS);
            return fd;
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
    }

    /** Reads up to {@code buffer.byteSize()} bytes; returns 0 at end of file. Retries on EINTR. */
    public static int read(int fd, MemorySegment buffer) {
        return (int) RawSyscall.READ.callRestarting(Integer.toString(fd), fd, buffer.address(), buffer.byteSize());
    }

    /**
     * Reads what is there from a non-blocking descriptor: {@return the bytes read, 0 at end of file,
     * or -1 when nothing is there yet ({@code EAGAIN})}
     */
    public static int readAvailable(int fd, MemorySegment buffer) {
        try {
            return read(fd, buffer);
        } catch (SystemCallException e) {
            if (e.errno() == Libc.EAGAIN()) {
                return -1;
            }
            throw e;
        }
    }

    /** Reads until {@code buffer} is full or end of file; returns the bytes read. */
    public static int readFully(int fd, MemorySegment buffer) {
        long done = 0;
        while (done < buffer.byteSize()) {
            int n = read(fd, buffer.asSlice(done));
            if (n == 0) {
                break;
            }
            done += n;
        }
        return (int) done;
    }

    /** Writes all of {@code bytes}. Retries on EINTR and short writes. */
    public static void writeFully(int fd, MemorySegment bytes) {
        long done = 0;
        while (done < bytes.byteSize()) {
            MemorySegment rest = bytes.asSlice(done);
            done += RawSyscall.WRITE.callRestarting(Integer.toString(fd), fd, rest.address(), rest.byteSize());
        }
    }

    /** {@return a new close-on-exec descriptor for {@code path}} */
    public static int open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) RawSyscall.OPENAT.call(quote(path), Libc.AT_FDCWD(), arena.allocateFrom(path).address(),
                    flags | Libc.O_CLOEXEC(), 0);
        }
    }

    /**
     * {@return a new close-on-exec descriptor for {@code path}, resolved by the kernel relative to
     * the directory {@code directory} under the {@code RESOLVE_*} rules {@code resolve}}; the path
     * is walked again when a mount or rename anywhere on the host raced the walk ({@code EAGAIN})
     */
    public static int openat2(int directory, String path, int flags, long resolve) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = open_how.allocate(arena);
            open_how.flags(how, flags | Libc.O_CLOEXEC());
            open_how.resolve(how, resolve);
            MemorySegment pathname = arena.allocateFrom(path);
            while (true) {
                try {
                    return (int) RawSyscall.OPENAT2.call(quote(path), directory, pathname.address(), how.address(),
                            open_how.sizeof());
                } catch (SystemCallException e) {
                    if (e.errno() != Libc.EAGAIN()) {
                        throw e;
                    }
                }
            }
        }
    }

    /** Creates a FIFO (named pipe) at {@code path} with permissions {@code mode}. */
    public static void mkfifo(String path, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.MKNODAT.call(quote(path), Libc.AT_FDCWD(), arena.allocateFrom(path).address(), Libc.S_IFIFO() | mode, 0);
        }
    }

    /**
     * Waits until one of {@code fds} is readable, at end of file or hung up; retries on EINTR.
     *
     * @return the {@code revents} of each descriptor, in order ({@code POLLIN}, {@code POLLHUP}...)
     */
    public static int[] awaitReadable(int... fds) {
        return awaitReadableWithin(-1, fds);
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: without limit) until one of {@code fds} is readable, at
     * end of file or hung up; retries on EINTR.
     *
     * @return the {@code revents} of each descriptor, in order; all 0 when the time ran out
     */
    public static int[] awaitReadableWithin(int timeoutMillis, int... fds) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment polled = arena.allocate(pollfd.layout(), fds.length);
            for (int i = 0; i < fds.length; i++) {
                MemorySegment entry = pollfd.asSlice(polled, i);
                pollfd.fd(entry, fds[i]);
                pollfd.events(entry, (short) Libc.POLLIN());
            }
            RawSyscall.POLL.callRestarting("", polled.address(), fds.length, timeoutMillis);
            int[] revents = new int[fds.length];
            for (int i = 0; i < fds.length; i++) {
                revents[i] = pollfd.revents(pollfd.asSlice(polled, i));
            }
            return revents;
        }
    }

    /**
     * {@return {@code fd}, or a close-on-exec duplicate numbered {@code minimum} or higher when it is
     * lower (the original is then closed)}
     */
    public static int atLeast(int fd, int minimum) {
        if (fd >= minimum) {
            return fd;
        }
        int moved = fcntl(fd, Libc.F_DUPFD_CLOEXEC(), minimum);
        close(fd);
        return moved;
    }

    /** Makes {@code target} a duplicate of {@code fd}, closing what {@code target} was (dup3). */
    public static void duplicateTo(int fd, int target) {
        RawSyscall.DUP3.callRestarting(Integer.toString(fd), fd, target, 0);
    }

    /** Makes the directory {@code directory} refers to the process's working directory (fchdir). */
    public static void changeDirectory(int directory) {
        RawSyscall.FCHDIR.call(Integer.toString(directory), directory);
    }

    /** Calls {@code fcntl(fd, command, argument)} with an int argument. */
    public static int fcntl(int fd, int command, int argument) {
        return (int) RawSyscall.FCNTL.call(Integer.toString(fd), fd, command, argument);
    }
}
