package dev.jrun.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's registry server ({@code docker-registry}, the CNCF Distribution registry) on a free
 * port of 127.0.0.1, storing in a directory of the test, started by the test and stopped by PID;
 * images are pushed into it with {@code skopeo}.
 */
final class DistributionRegistry implements AutoCloseable {

    private static final Path SERVER = Path.of("/usr/bin/docker-registry");
    private static final Path SKOPEO = Path.of("/usr/bin/skopeo");

    private final Process process;
    private final Path log;
    private final int port;

    private DistributionRegistry(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts the registry with its storage and log in {@code directory}; skips the test without it or skopeo. */
    static DistributionRegistry start(Path directory) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SERVER), "needs " + SERVER + ": install Debian's docker-registry package");
        assumeTrue(Files.isExecutable(SKOPEO), "needs " + SKOPEO + " to push images: install Debian's skopeo package");
        int port = freePort();
        Path config = Files.writeString(directory.resolve("registry.yml"), """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(directory.resolve("registry-storage"), port));
        Path log = directory.resolve("registry.log");
        Process process = new ProcessBuilder(SERVER.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        DistributionRegistry registry = new DistributionRegistry(process, log, port);
        try {
            registry.awaitReady();
            return registry;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            registry.close();
            throw e;
        }
    }

    /** {@return {@code 127.0.0.1:PORT}} */
    String address() {
        return "127.0.0.1:" + port;
    }

    /**
     * Pushes an OCI archive into the registry as {@code repositoryAndTag}, with skopeo.
     *
     * @param format the manifest format skopeo writes: {@code oci}, or {@code v2s2} for Docker's
     */
    void push(Path ociArchive, String repositoryAndTag, String format) throws IOException, InterruptedException {
        Process skopeo = new ProcessBuilder(SKOPEO.toString(), "--insecure-policy", "copy", "--quiet",
                "--format", format, "--dest-tls-verify=false", "oci-archive:" + ociArchive,
                "docker://" + address() + "/" + repositoryAndTag)
                .redirectErrorStream(true).start();
        String output = new String(skopeo.getInputStream().readAllBytes());
        assertThat(skopeo.waitFor()).as("skopeo copy: " + output).isZero();
    }

    /** {@return the media type of the manifest the registry holds for {@code repository:reference}} */
    String manifestMediaType(String repository, String reference) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/" + repository
                    + "/manifests/" + reference)).header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                    + " application/vnd.docker.distribution.manifest.v2+json").build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).headers().firstValue("Content-Type")
                    .orElse("");
        }
    }

    /** Polls /v2/ until the server answers: it starts listening some time after it starts. */
    private void awaitReady() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address() + "/v2/")).build();
            for (int attempt = 0; ; attempt++) {
                assertThat(process.isAlive()).as("docker-registry ended: %s", Files.readString(log)).isTrue();
                try {
                    if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (java.net.ConnectException notYet) {
                    assertThat(attempt).as("docker-registry never listened: %s", Files.readString(log)).isLessThan(300);
                }
                Thread.sleep(100);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        process.onExit().join();
    }
}
