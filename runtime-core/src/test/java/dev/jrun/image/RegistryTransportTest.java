package dev.jrun.image;

import dev.jrun.ImageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Which protocol a pull speaks: HTTPS to a registry off loopback, plain HTTP only when the caller
 * allows insecure registries. A socket of the test on a non-loopback address of this host reads
 * the first bytes the pull sends (a TLS handshake record starts with 0x16) and hangs up.
 */
class RegistryTransportTest {

    private static final int TLS_HANDSHAKE = 0x16;

    @TempDir
    Path directory;

    @Test
    void aRegistryOffLoopbackIsSpokenToOverHttps() throws Exception {
        byte[] first = firstBytesOfAPull(PullOptions.defaults().withAuthFiles(List.of()));

        assertThat(first[0]).isEqualTo((byte) TLS_HANDSHAKE);
    }

    @Test
    void anInsecureRegistryIsSpokenToInPlainHttp() throws Exception {
        byte[] first = firstBytesOfAPull(PullOptions.defaults().withAuthFiles(List.of()).withInsecure(true));

        assertThat(new String(first, StandardCharsets.US_ASCII)).isEqualTo("GET /v2/tools/");
    }

    private byte[] firstBytesOfAPull(PullOptions options) throws Exception {
        InetAddress address = nonLoopbackAddress().orElse(null);
        assumeTrue(address != null, "needs a non-loopback IPv4 address on this host");
        try (ServerSocket server = new ServerSocket(0, 1, address)) {
            CompletableFuture<byte[]> first = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                // Every connection hung up on, the first one after it spoke: the client may retry.
                while (!server.isClosed()) {
                    try (Socket connection = server.accept(); InputStream in = connection.getInputStream()) {
                        first.complete(in.readNBytes(14));
                    } catch (IOException closed) {
                        first.completeExceptionally(closed);
                    }
                }
            });
            String image = address.getHostAddress() + ":" + server.getLocalPort() + "/tools/hello:1";

            assertThatThrownBy(() -> ImageStore.at(directory).pull(image, options))
                    .hasMessageStartingWith("pull " + image);
            return first.join();
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address.getAddress().length == 4 && !address.isLoopbackAddress())
                .findFirst();
    }
}
