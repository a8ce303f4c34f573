package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.cmsghdr;
import dev.jrun.bindings.iovec;
import dev.jrun.bindings.msghdr;
import dev.jrun.bindings.sockaddr_un;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.jrun.bindings.Libc.C_INT;
import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * Passing a descriptor to another process over a Unix socket ({@code SCM_RIGHTS}),
 * which {@code java.nio} cannot do.
 */
public final class UnixSockets {

    /** Control messages are aligned to the size of {@code size_t} ({@code CMSG_ALIGN}). */
    private static final long CMSG_ALIGNMENT = ValueLayout.ADDRESS.byteSize();

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

    private static MemorySegment address(Arena arena, Path socket) {
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

    /** A {@code struct msghdr} carrying {@code message} and one {@code SCM_RIGHTS} control message. */
    private static MemorySegment messageWithDescriptor(Arena arena, int fd, String message) {
        MemorySegment data = arena.allocateFrom(message);
        MemorySegment vector = iovec.allocate(arena);
        iovec.iov_base(vector, data);
        iovec.iov_len(vector, data.byteSize() - 1);

        long header = align(cmsghdr.sizeof());
        MemorySegment control = arena.allocate(header + align(C_INT.byteSize()), CMSG_ALIGNMENT);
        cmsghdr.cmsg_len(control, header + C_INT.byteSize());
        cmsghdr.cmsg_level(control, Libc.SOL_SOCKET());
        cmsghdr.cmsg_type(control, Libc.SCM_RIGHTS());
        control.set(C_INT, header, fd);

        MemorySegment msg = msghdr.allocate(arena);
        msghdr.msg_iov(msg, vector);
        msghdr.msg_iovlen(msg, 1);
        msghdr.msg_control(msg, control);
        msghdr.msg_controllen(msg, control.byteSize());
        return msg;
    }

    private static long align(long size) {
        return (size + CMSG_ALIGNMENT - 1) / CMSG_ALIGNMENT * CMSG_ALIGNMENT;
    }
}
