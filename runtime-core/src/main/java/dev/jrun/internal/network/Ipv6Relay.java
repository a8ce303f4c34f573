package dev.jrun.internal.network;

import dev.jrun.model.PortMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * A TCP port published on an IPv6 host address ({@code -p [::1]:8080:80}), which slirp4netns cannot
 * listen on (its API takes IPv4 host addresses only): this JVM listens there and relays each
 * connection to slirp4netns's forward of the same container port on a free port of 127.0.0.1,
 * a virtual thread each way. It lives as long as the container, so only a container that ends
 * with this JVM may have one.
 */
final class Ipv6Relay implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final PortMapping published;
    private final ServerSocketChannel listener;
    private final InetSocketAddress target;

    private Ipv6Relay(PortMapping published, ServerSocketChannel listener, InetSocketAddress target) {
        this.published = published;
        this.listener = listener;
        this.target = target;
    }

    /** {@return whether {@code mapping} is one slirp4netns cannot listen for: an IPv6 host address} */
    static boolean needed(PortMapping mapping) {
        return mapping.hostAddress() instanceof Inet6Address;
    }

    /** {@return the mapping slirp4netns is given for {@code mapping}: the same container port, on a free port of 127.0.0.1} */
    static PortMapping slirpSide(PortMapping mapping) {
        return HostPorts.claim(List.of(new PortMapping(InetAddress.getLoopbackAddress(), 0,
                mapping.containerPort(), PortMapping.Protocol.TCP))).getFirst();
    }

    /**
     * Listens on {@code published}'s host address and port and relays to {@code slirpSide}.
     *
     * @throws IllegalArgumentException naming the port, if it cannot be listened on
     */
    static Ipv6Relay start(PortMapping published, PortMapping slirpSide) {
        ServerSocketChannel listener;
        try {
            listener = ServerSocketChannel.open();
            listener.bind(published.hostSocketAddress());
        } catch (IOException e) {
            throw new IllegalArgumentException("publish port " + published + ": cannot listen on it: " + e.getMessage(), e);
        }
        Ipv6Relay relay = new Ipv6Relay(published, listener, slirpSide.hostSocketAddress());
        Thread.ofVirtual().name("jrun-ipv6-relay-" + published.hostPort()).start(relay::accept);
        return relay;
    }

    private void accept() {
        while (listener.isOpen()) {
            try {
                SocketChannel client = listener.accept();
                Thread.ofVirtual().start(() -> relay(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void relay(SocketChannel client) {
        try (client; SocketChannel server = SocketChannel.open(target)) {
            Thread back = Thread.ofVirtual().start(() -> copy(server, client));
            copy(client, server);
            back.join();
        } catch (IOException refused) {
            // slirp4netns refused the connection (the container is gone): the client sees it closed.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Copies until {@code from} ends, then ends {@code to}'s output, so the other side sees end of file. */
    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException broken) {
            // One side went away: closing both ends the other direction too.
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException alreadyBroken) {
            // Nothing more to end.
        }
    }

    /** Stops listening; connections being relayed end when either side closes. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stop relaying published port " + published, e);
        }
    }
}
