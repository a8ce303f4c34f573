package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

import static dev.jrun.bindings.Libc.C_LONG;

/**
 * A Linux system call made from Java, through libc's {@code syscall(2)}.
 *
 * <p>All of them share one downcall handle: {@code long syscall(long number, ...)} linked once with
 * six {@code long} variadic arguments and errno captured. A call passes every argument as a long (a
 * pointer as its address; unused trailing ones as 0, which the kernel ignores), and libc turns a
 * kernel error into -1 and errno. A handle per libc wrapper would cost a downcall stub and its
 * lambda forms per function shape in every fresh JVM. Functions in which libc does real work
 * ({@code sigaction}'s signal trampoline, {@code tcgetattr}'s termios translation, the
 * {@code posix_spawn} family) stay libc calls.
 *
 * <p>The numbers are x86-64's, from the generated {@code <sys/syscall.h>} bindings, and all are
 * here: an aarch64 binding set numbers them in this one place (it lacks {@code poll} and
 * {@code rmdir}, for which {@code ppoll} and {@code unlinkat(AT_REMOVEDIR)} stand in there).
 */
final class RawSyscall {

    static final RawSyscall ACCEPT4 = new RawSyscall("accept4", Libc.SYS_accept4());
    static final RawSyscall BIND = new RawSyscall("bind", Libc.SYS_bind());
    static final RawSyscall BPF = new RawSyscall("bpf", Libc.SYS_bpf());
    static final RawSyscall CLOSE = new RawSyscall("close", Libc.SYS_close());
    static final RawSyscall CONNECT = new RawSyscall("connect", Libc.SYS_connect());
    static final RawSyscall DUP3 = new RawSyscall("dup3", Libc.SYS_dup3());
    static final RawSyscall FACCESSAT2 = new RawSyscall("faccessat2", Libc.SYS_faccessat2());
    static final RawSyscall FCHDIR = new RawSyscall("fchdir", Libc.SYS_fchdir());
    static final RawSyscall FCNTL = new RawSyscall("fcntl", Libc.SYS_fcntl());
    static final RawSyscall GETEGID = new RawSyscall("getegid", Libc.SYS_getegid());
    static final RawSyscall GETEUID = new RawSyscall("geteuid", Libc.SYS_geteuid());
    static final RawSyscall GETSOCKOPT = new RawSyscall("getsockopt", Libc.SYS_getsockopt());
    static final RawSyscall IOCTL = new RawSyscall("ioctl", Libc.SYS_ioctl());
    static final RawSyscall LGETXATTR = new RawSyscall("lgetxattr", Libc.SYS_lgetxattr());
    static final RawSyscall LISTEN = new RawSyscall("listen", Libc.SYS_listen());
    static final RawSyscall LLISTXATTR = new RawSyscall("llistxattr", Libc.SYS_llistxattr());
    static final RawSyscall LSETXATTR = new RawSyscall("lsetxattr", Libc.SYS_lsetxattr());
    static final RawSyscall MEMFD_CREATE = new RawSyscall("memfd_create", Libc.SYS_memfd_create());
    static final RawSyscall MKDIRAT = new RawSyscall("mkdirat", Libc.SYS_mkdirat());
    static final RawSyscall MKNODAT = new RawSyscall("mknodat", Libc.SYS_mknodat());
    static final RawSyscall MMAP = new RawSyscall("mmap", Libc.SYS_mmap());
    static final RawSyscall MOUNT = new RawSyscall("mount", Libc.SYS_mount());
    static final RawSyscall MPROTECT = new RawSyscall("mprotect", Libc.SYS_mprotect());
    static final RawSyscall OPENAT = new RawSyscall("openat", Libc.SYS_openat());
    static final RawSyscall OPENAT2 = new RawSyscall("openat2", Libc.SYS_openat2());
    static final RawSyscall PIDFD_GETFD = new RawSyscall("pidfd_getfd", Libc.SYS_pidfd_getfd());
    static final RawSyscall PIDFD_OPEN = new RawSyscall("pidfd_open", Libc.SYS_pidfd_open());
    static final RawSyscall PIDFD_SEND_SIGNAL = new RawSyscall("pidfd_send_signal", Libc.SYS_pidfd_send_signal());
    static final RawSyscall PIPE2 = new RawSyscall("pipe2", Libc.SYS_pipe2());
    static final RawSyscall POLL = new RawSyscall("poll", Libc.SYS_poll());
    static final RawSyscall READ = new RawSyscall("read", Libc.SYS_read());
    static final RawSyscall RECVMSG = new RawSyscall("recvmsg", Libc.SYS_recvmsg());
    static final RawSyscall RMDIR = new RawSyscall("rmdir", Libc.SYS_rmdir());
    static final RawSyscall SENDMSG = new RawSyscall("sendmsg", Libc.SYS_sendmsg());
    static final RawSyscall SENDTO = new RawSyscall("sendto", Libc.SYS_sendto());
    static final RawSyscall SOCKET = new RawSyscall("socket", Libc.SYS_socket());
    static final RawSyscall UMOUNT2 = new RawSyscall("umount2", Libc.SYS_umount2());
    static final RawSyscall UTIMENSAT = new RawSyscall("utimensat", Libc.SYS_utimensat());
    static final RawSyscall WAITID = new RawSyscall("waitid", Libc.SYS_waitid());
    static final RawSyscall WRITE = new RawSyscall("write", Libc.SYS_write());

    /** The most arguments a Linux system call takes. */
    private static final int MAX_ARGUMENTS = 6;

    private final String name;
    private final long number;

    private RawSyscall(String name, long number) {
        this.name = name;
        this.number = number;
    }

    /** Linked on the first raw call of the process, not when this class loads. */
    private static final class Handle {
        static final MethodHandle SYSCALL = Linker.nativeLinker().downcallHandle(Libc.syscall.address(),
                FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG),
                Linker.Option.firstVariadicArg(1), CapturedErrno.OPTION);
    }

    /**
     * Makes the call.
     *
     * @param detail    the key argument shown in an error, e.g. a quoted path or a descriptor
     * @param arguments up to six, in order; ints widen, pointers are passed as their address
     * @return the kernel's result
     * @throws SystemCallException naming this call, {@code detail} and the errno, when it fails
     */
    long call(String detail, long... arguments) {
        if (arguments.length > MAX_ARGUMENTS) {
            throw new IllegalArgumentException(name + " given " + arguments.length + " arguments, at most "
                    + MAX_ARGUMENTS + " exist");
        }
        long[] a = Arrays.copyOf(arguments, MAX_ARGUMENTS);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = CapturedErrno.allocate(arena);
            long result;
            try {
                result = (long) Handle.SYSCALL.invokeExact(state, number, a[0], a[1], a[2], a[3], a[4], a[5]);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("downcall syscall(" + name + ") failed", t);
            }
            if (result == -1) {
                throw CapturedErrno.failure(name, detail, state);
            }
            return result;
        }
    }

    /** Like {@link #call}, retrying while the call is interrupted by a signal ({@code EINTR}). */
    long callRestarting(String detail, long... arguments) {
        while (true) {
            try {
                return call(detail, arguments);
            } catch (SystemCallException e) {
                if (e.errno() != Libc.EINTR()) {
                    throw e;
                }
            }
        }
    }
}
