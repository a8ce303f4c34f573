package dev.jrun.testing;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.cmsghdr;
import dev.jrun.bindings.iovec;
import dev.jrun.bindings.msghdr;
import dev.jrun.bindings.seccomp_data;
import dev.jrun.bindings.seccomp_notif;
import dev.jrun.bindings.seccomp_notif_resp;
import dev.jrun.bindings.sockaddr_un;
import dev.jrun.internal.sys.Descriptors;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.jrun.bindings.Libc.C_INT;
import static dev.jrun.bindings.Libc.C_LONG;

/**
 * A seccomp agent for tests, as runc's {@code seccompagent} is one: it listens on a Unix socket,
 * receives a listener with {@code SCM_RIGHTS} (which {@code java.nio} cannot) and the message it came
 * with, and answers the notified system calls. Its calls go straight through {@code syscall(2)}; a
 * failure names the call (the test's own code needs no errno text).
 */
public final class SeccompTestAgent implements AutoCloseable {

    /** What the runtime sent: the message and the listener, now open in this process. */
    public record Delivery(String message, int listener) {
    }

    private static final Libc.syscall SYSCALL = Libc.syscall.makeInvoker(C_LONG, C_LONG, C_LONG);
    private static final int MESSAGE_SIZE = 4096;

    private final Path path;
    private final int socket;

    /** Listens on a new socket at {@code path}. */
    public SeccompTestAgent(Path path) {
        this.path = path;
        this.socket = (int) call("socket", Libc.SYS_socket(), Libc.AF_UNIX(), Libc.SOCK_STREAM() | Libc.SOCK_CLOEXEC(), 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = sockaddr_un.allocate(arena);
            sockaddr_un.sun_family(address, (short) Libc.AF_UNIX());
            sockaddr_un.sun_path(address).setString(0, path.toString());
            call("bind", Libc.SYS_bind(), socket, address.address(), address.byteSize());
        }
        call("listen", Libc.SYS_listen(), socket, 1, 0);
    }

    /** {@return the first connection's message and descriptor} Blocks until a runtime connects. */
    public Delivery receive() {
        int connection = (int) call("accept4", Libc.SYS_accept4(), socket, 0, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(MESSAGE_SIZE);
            MemorySegment vector = iovec.allocate(arena);
            iovec.iov_base(vector, data);
            iovec.iov_len(vector, MESSAGE_SIZE);
            long controlSize = cmsghdr.sizeof() + ValueLayout.ADDRESS.byteSize();
            MemorySegment control = arena.allocate(controlSize, ValueLayout.ADDRESS.byteSize());
            MemorySegment message = msghdr.allocate(arena);
            msghdr.msg_iov(message, vector);
            msghdr.msg_iovlen(message, 1);
            msghdr.msg_control(message, control);
            msghdr.msg_controllen(message, controlSize);
            int length = (int) call("recvmsg", Libc.SYS_recvmsg(), connection, message.address(), 0);
            if (msghdr.msg_controllen(message) < cmsghdr.sizeof() + C_INT.byteSize()
                    || cmsghdr.cmsg_type(control) != Libc.SCM_RIGHTS()) {
                throw new IllegalStateException("the runtime sent no descriptor (" + length + " bytes)");
            }
            int listener = control.get(C_INT, cmsghdr.sizeof());
            byte[] bytes = data.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
            return new Delivery(new String(bytes, StandardCharsets.UTF_8), listener);
        } finally {
            Descriptors.close(connection);
        }
    }

    /**
     * Receives the next notified call from {@code listener} and makes it return {@code result}
     * (0 or more) or fail with {@code errno} (when not 0) without running it; {@return the call's number}
     */
    public static int answer(int listener, long result, int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notification = seccomp_notif.allocate(arena);
            notification.fill((byte) 0);
            call("ioctl(SECCOMP_IOCTL_NOTIF_RECV)", Libc.SYS_ioctl(), listener, Libc.SECCOMP_IOCTL_NOTIF_RECV(),
                    notification.address());
            MemorySegment response = seccomp_notif_resp.allocate(arena);
            response.fill((byte) 0);
            seccomp_notif_resp.id(response, seccomp_notif.id(notification));
            seccomp_notif_resp.val(response, result);
            seccomp_notif_resp.error(response, errno == 0 ? 0 : -errno);
            call("ioctl(SECCOMP_IOCTL_NOTIF_SEND)", Libc.SYS_ioctl(), listener, Libc.SECCOMP_IOCTL_NOTIF_SEND(),
                    response.address());
            return seccomp_data.nr(seccomp_notif.data(notification));
        }
    }

    /** Ends a {@link #receive()} still waiting for a runtime that never came, by coming itself. */
    public void unblock() throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
        }
    }

    @Override
    public void close() {
        Descriptors.close(socket);
    }

    private static long call(String name, long number, long... arguments) {
        Object[] boxed = new Object[3];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = i < arguments.length ? arguments[i] : 0L;
        }
        long result = SYSCALL.apply(number, boxed);
        if (result == -1) {
            throw new IllegalStateException(name + " failed");
        }
        return result;
    }
}
