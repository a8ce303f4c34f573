package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.cmsghdr;
import dev.jrun.bindings.iovec;
import dev.jrun.bindings.msghdr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.OptionalInt;

import static dev.jrun.bindings.Libc.C_INT;

/** Unix sockets that pass descriptors (SCM_RIGHTS): how a terminal's master side travels between processes. */
public final class Sockets {

    private static final NativeFunction SOCKETPAIR =
            NativeFunction.of("socketpair", Libc.socketpair$address(), Libc.socketpair$descriptor());
    private static final NativeFunction SENDMSG =
            NativeFunction.of("sendmsg", Libc.sendmsg$address(), Libc.sendmsg$descriptor());
    private static final NativeFunction RECVMSG =
            NativeFunction.of("recvmsg", Libc.recvmsg$address(), Libc.recvmsg$descriptor());

    private Sockets() {
    }

    /** {@return a connected pair of close-on-exec unix stream sockets} */
    public static Descriptors.Pipe pair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(C_INT, 2);
            SOCKETPAIR.call("", Libc.AF_UNIX(), Libc.SOCK_STREAM() | Libc.SOCK_CLOEXEC(), 0, fds);
            return new Descriptors.Pipe(fds.getAtIndex(C_INT, 0), fds.getAtIndex(C_INT, 1));
        }
    }

    /** Sends {@code fd} over the socket {@code socket}, with one byte of data. */
    public static void sendDescriptor(int socket, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            SENDMSG.callRestarting(Integer.toString(socket), socket, FdMessage.of(arena, fd), 0);
        }
    }

    /** {@return the descriptor received on {@code socket} (close-on-exec), or empty at end of file} */
    public static OptionalInt receiveDescriptor(int socket) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = FdMessage.of(arena, -1);
            long received = RECVMSG.callRestarting(Integer.toString(socket), socket, message, Libc.MSG_CMSG_CLOEXEC());
            MemorySegment control = msghdr.msg_control(message).reinterpret(FdMessage.CONTROL_SPACE);
            if (received <= 0 || msghdr.msg_controllen(message) < FdMessage.CONTROL_LENGTH
                    || cmsghdr.cmsg_type(control) != Libc.SCM_RIGHTS()) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(control.get(C_INT, FdMessage.HEADER_SPACE));
        }
    }

    /** The one-byte message with an SCM_RIGHTS control message carrying one descriptor. */
    public static final class FdMessage {

        /** {@code CMSG_ALIGN(sizeof(struct cmsghdr))}: where the descriptor starts in the control data. */
        public static final long HEADER_SPACE = align(cmsghdr.sizeof());
        /** {@code CMSG_LEN(sizeof(int))}. */
        public static final long CONTROL_LENGTH = HEADER_SPACE + C_INT.byteSize();
        /** {@code CMSG_SPACE(sizeof(int))}. */
        public static final long CONTROL_SPACE = HEADER_SPACE + align(C_INT.byteSize());

        private FdMessage() {
        }

        /** {@return a {@code struct msghdr} (with its iovec, data byte and control data) carrying {@code fd}} */
        public static MemorySegment of(Arena arena, int fd) {
            MemorySegment data = arena.allocate(1);
            MemorySegment iov = iovec.allocate(arena);
            iovec.iov_base(iov, data);
            iovec.iov_len(iov, data.byteSize());
            MemorySegment control = arena.allocate(CONTROL_SPACE, Long.BYTES);
            cmsghdr.cmsg_len(control, CONTROL_LENGTH);
            cmsghdr.cmsg_level(control, Libc.SOL_SOCKET());
            cmsghdr.cmsg_type(control, Libc.SCM_RIGHTS());
            control.set(C_INT, HEADER_SPACE, fd);
            MemorySegment message = msghdr.allocate(arena);
            msghdr.msg_iov(message, iov);
            msghdr.msg_iovlen(message, 1);
            msghdr.msg_control(message, control);
            msghdr.msg_controllen(message, CONTROL_SPACE);
            return message;
        }

        private static long align(long size) {
            return (size + Long.BYTES - 1) & -Long.BYTES;
        }
    }
}
