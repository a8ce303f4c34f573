package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.cmsghdr;
import dev.jrun.bindings.iovec;
import dev.jrun.bindings.msghdr;
import dev.jrun.bindings.sockaddr_un;
import dev.jrun.bindings.ucred;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalInt;

import static dev.jrun.bindings.Libc.C_INT;
import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * What {@code java.nio} cannot do with Unix sockets: pass descriptors ({@code SCM_RIGHTS}), use
 * {@code SOCK_SEQPACKET}, and learn the peer's process ({@code SO_PEERCRED}).
 */
public final class UnixSockets {

    /** Control messages are aligned to the size of {@code size_t} ({@code CMSG_ALIGN}). */
    private static final long CMSG_ALIGNMENT = ValueLayout.ADDRESS.byteSize();

    /** The process at the other end of a connection, as the kernel saw it connect. */
    public record Peer(int pid, int uid) {
    }

    private UnixSockets() {
    }

    /**
     * Connects to the stream socket at {@code socket} and sends {@code fd} to it, with {@code message}
     * as the data the descriptor travels with.
     *
     * @throws IllegalArgumentException if the socket's path is too long for a Unix socket address
     * @throws dev.jrun.model.SystemCallException if connecting or sending fails
     */
    public static void sendDescriptor(Path socket, int fd, String message) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = address(arena, socket);
            int connection = (int) RawSyscall.SOCKET.call("AF_UNIX", Libc.AF_UNIX(), Libc.SOCK_STREAM() | Libc.SOCK_CLOEXEC(), 0);
            try {
                RawSyscall.CONNECT.call(quote(socket.toString()), connection, address.address(), address.byteSize());
                RawSyscall.SENDMSG.call(quote(socket.toString()), connection,
                        messageWithDescriptor(arena, fd, message).address(), 0);
            } finally {
                Descriptors.close(connection);
            }
        }
    }

    /**
     * {@return a close-on-exec {@code SOCK_SEQPACKET} socket bound to {@code socket} and listening}
     *
     * @throws dev.jrun.model.SystemCallException if the socket cannot be made, bound or listened on
     *                                            ({@code EADDRINUSE} when the path exists)
     */
    public static int listenSequenced(Path socket, int backlog) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = address(arena, socket);
            int listener = (int) RawSyscall.SOCKET.call("AF_UNIX", Libc.AF_UNIX(),
                    Libc.SOCK_SEQPACKET() | Libc.SOCK_CLOEXEC(), 0);
            try {
                RawSyscall.BIND.call(quote(socket.toString()), listener, address.address(), address.byteSize());
                RawSyscall.LISTEN.call(quote(socket.toString()), listener, backlog);
                return listener;
            } catch (RuntimeException e) {
                Descriptors.close(listener);
                throw e;
            }
        }
    }

    /** {@return a connection accepted within {@code timeoutMillis}, close-on-exec, or empty when none came} */
    public static OptionalInt acceptWithin(int listener, int timeoutMillis) {
        int[] ready = Descriptors.awaitReadableWithin(timeoutMillis, listener);
        if (ready[0] == 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) RawSyscall.ACCEPT4.callRestarting(Integer.toString(listener),
                listener, 0, 0, Libc.SOCK_CLOEXEC()));
    }

    /** {@return the process that connected on {@code connection}} */
    public static Peer peer(int connection) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment credentials = ucred.allocate(arena);
            MemorySegment length = arena.allocateFrom(C_INT, (int) credentials.byteSize());
            RawSyscall.GETSOCKOPT.call(Integer.toString(connection), connection, Libc.SOL_SOCKET(), Libc.SO_PEERCRED(),
                    credentials.address(), length.address());
            return new Peer(ucred.pid(credentials), ucred.uid(credentials));
        }
    }

    /**
     * Receives one message on {@code connection} and {@return the descriptors it carried, close-on-exec,
     * at most {@code max}} (the data is ignored); empty when the peer had closed the connection.
     */
    public static int[] receiveDescriptors(int connection, int max) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = controlSpace(arena, max);
            MemorySegment message = message(arena, arena.allocate(1), 1, control);
            RawSyscall.RECVMSG.callRestarting(Integer.toString(connection), connection, message.address(),
                    Libc.MSG_CMSG_CLOEXEC());
            if (msghdr.msg_controllen(message) < cmsghdr.sizeof() || cmsghdr.cmsg_type(control) != Libc.SCM_RIGHTS()) {
                return new int[0];
            }
            int count = (int) ((cmsghdr.cmsg_len(control) - align(cmsghdr.sizeof())) / C_INT.byteSize());
            int[] fds = new int[count];
            for (int i = 0; i < count; i++) {
                fds[i] = control.get(C_INT, align(cmsghdr.sizeof()) + i * C_INT.byteSize());
            }
            return fds;
        }
    }

    /** Sends one 64-bit word, in the machine's byte order, as one message on {@code connection}. */
    public static void sendWord(int connection, long word) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_LONG, word);
            RawSyscall.SENDTO.callRestarting(Integer.toString(connection), connection, bytes.address(), bytes.byteSize(),
                    Libc.MSG_NOSIGNAL(), 0, 0);
        }
    }

    /** {@return the {@code struct sockaddr_un} of {@code socket}, allocated in {@code arena}} */
    public static MemorySegment address(Arena arena, Path socket) {
        byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment address = sockaddr_un.allocate(arena);
        MemorySegment sunPath = sockaddr_un.sun_path(address);
        if (path.length >= sunPath.byteSize()) {
            throw new IllegalArgumentException("socket path " + socket + " is too long: a Unix socket address holds at most "
                    + (sunPath.byteSize() - 1) + " bytes");
        }
        sockaddr_un.sun_family(address, (short) Libc.AF_UNIX());
        MemorySegment.copy(path, 0, sunPath, ValueLayout.JAVA_BYTE, 0, path.length);
        return address;
    }

    /** {@return one {@code SCM_RIGHTS} control message carrying {@code fds}, allocated in {@code arena}} */
    public static MemorySegment rightsControl(Arena arena, int... fds) {
        long header = align(cmsghdr.sizeof());
        MemorySegment control = controlSpace(arena, fds.length);
        cmsghdr.cmsg_len(control, header + C_INT.byteSize() * fds.length);
        cmsghdr.cmsg_level(control, Libc.SOL_SOCKET());
        cmsghdr.cmsg_type(control, Libc.SCM_RIGHTS());
        for (int i = 0; i < fds.length; i++) {
            control.set(C_INT, header + i * C_INT.byteSize(), fds[i]);
        }
        return control;
    }

    /** A {@code struct msghdr} carrying {@code message} and one {@code SCM_RIGHTS} control message. */
    private static MemorySegment messageWithDescriptor(Arena arena, int fd, String message) {
        MemorySegment data = arena.allocateFrom(message);
        return message(arena, data, data.byteSize() - 1, rightsControl(arena, fd));
    }

    /** {@return a {@code struct msghdr} of {@code length} bytes of {@code data} and the control messages {@code control}} */
    private static MemorySegment message(Arena arena, MemorySegment data, long length, MemorySegment control) {
        MemorySegment vector = iovec.allocate(arena);
        iovec.iov_base(vector, data);
        iovec.iov_len(vector, length);
        MemorySegment msg = msghdr.allocate(arena);
        msghdr.msg_iov(msg, vector);
        msghdr.msg_iovlen(msg, 1);
        msghdr.msg_control(msg, control);
        msghdr.msg_controllen(msg, control.byteSize());
        return msg;
    }

    /** {@return room for one control message of {@code count} descriptors ({@code CMSG_SPACE})} */
    private static MemorySegment controlSpace(Arena arena, int count) {
        return arena.allocate(align(cmsghdr.sizeof()) + align(C_INT.byteSize() * count), CMSG_ALIGNMENT);
    }

    private static long align(long size) {
        return (size + CMSG_ALIGNMENT - 1) / CMSG_ALIGNMENT * CMSG_ALIGNMENT;
    }
}
