package dev.jrun.junit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/** The usual {@link WaitStrategy wait strategies}. */
public final class Wait {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(2);

    private Wait() {
    }

    /** {@return a strategy that waits for nothing: the container is ready once started} */
    public static WaitStrategy forStart() {
        return strategy("its start", container -> true);
    }

    /**
     * {@return a strategy that waits until a line of the container's stdout or stderr matches
     * {@code regex} (anywhere in the line)}
     *
     * @param regex a {@link Pattern} expression
     */
    public static WaitStrategy forLogLine(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return strategy("a line matching /" + regex + "/",
                container -> (container.stdout() + "\n" + container.stderr()).lines()
                        .anyMatch(line -> pattern.matcher(line).find()));
    }

    /**
     * {@return a strategy that waits until a TCP socket listens on {@code port} in the container's
     * network namespace}: it reads the kernel's socket table of the container's first process
     * ({@code /proc/<pid>/net/tcp} and {@code tcp6}), so it needs no route into that namespace and
     * works for a container with a network of its own, which has only loopback.
     *
     * @param port the TCP port
     */
    public static WaitStrategy forListeningPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("TCP port " + port + " is not between 1 and 65535");
        }
        return strategy("TCP port " + port + " listening", container -> ListeningPorts.of(container.pid()).contains(port));
    }

    /**
     * {@return a strategy that waits until {@code GET http://127.0.0.1:<port><path>} answers
     * {@code status}}. The test JVM must reach the port: this suits a container that shares the host's
     * network ({@code NamespaceSet.isolated().without(Namespace.NETWORK)}); for a container with a
     * network of its own use {@link #forListeningPort(int)}.
     *
     * @param port   the TCP port on the host's loopback
     * @param path   the request path, starting with {@code /}
     * @param status the HTTP status that means ready, such as 200
     */
    public static WaitStrategy forHttp(int port, String path, int status) {
        URI uri = URI.create("http://127.0.0.1:" + port + Objects.requireNonNull(path, "path"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build();
        return strategy("GET " + uri + " answering " + status,
                container -> client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status);
    }

    /** {@return a strategy that waits until the container's first process has ended, whatever its status} */
    public static WaitStrategy forExit() {
        return strategy("its exit", container -> container.process().waitFor(Duration.ZERO).isPresent());
    }

    private static WaitStrategy strategy(String description, Check check) {
        return new WaitStrategy() {
            @Override
            public boolean isReady(SandboxContainer container) throws Exception {
                return check.isReady(container);
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public String toString() {
                return "wait for " + description;
            }
        };
    }

    /** A readiness check that may throw, as {@link WaitStrategy#isReady} may. */
    @FunctionalInterface
    private interface Check {
        boolean isReady(SandboxContainer container) throws Exception;
    }
}
