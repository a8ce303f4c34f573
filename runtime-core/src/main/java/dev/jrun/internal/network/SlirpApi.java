package dev.jrun.internal.network;

import dev.jrun.model.PortMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The control socket of a running slirp4netns ({@code --api-socket}): one JSON request a
 * connection, answered with {@code {"return": ...}} or {@code {"error": {"desc": ...}}}.
 */
final class SlirpApi {

    private final Path socket;

    SlirpApi(Path socket) {
        this.socket = socket;
    }

    /**
     * Forwards the host's {@code mapping.hostAddress():hostPort} to the container's port.
     *
     * @throws IllegalStateException naming the mapping and slirp4netns's answer, if it refuses
     */
    void addForward(PortMapping mapping) {
        String request = "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"" + mapping.protocol().spelling()
                + "\", \"host_addr\": \"" + mapping.hostAddress().getHostAddress() + "\", \"host_port\": "
                + mapping.hostPort() + ", \"guest_port\": " + mapping.containerPort() + "}}";
        String answer = call(request);
        // The answer is slirp4netns's own small JSON: success is the only one with a "return" member.
        if (!answer.contains("\"return\"")) {
            throw new IllegalStateException("publish port " + mapping + ": slirp4netns refused it: " + answer.strip());
        }
    }

    private String call(String request) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("talk to slirp4netns at " + socket, e);
        }
    }
}
