package dev.jrun.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A plain HTTP proxy on 127.0.0.1 in front of a registry that, while armed, sends half of the
 * first large blob (a layer, not a config) and then stalls, so that a test can kill the pull in
 * the middle of a layer.
 */
final class StallingProxy implements AutoCloseable {

    /** Larger than any config or manifest of the tests' images, smaller than a busybox layer. */
    private static final long LAYER_SIZE = 64 * 1024;
    private static final List<String> FORWARDED = List.of("Content-Type", "Docker-Content-Digest", "Location",
            "WWW-Authenticate");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String registry;
    private final CountDownLatch halfSent = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean armed = true;

    StallingProxy(String registry) throws IOException {
        this.registry = registry;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // A stalled exchange holds its thread: the others need their own.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Waits until half of a layer went out and the proxy stalls. */
    void awaitHalfSent() throws InterruptedException {
        halfSent.await();
    }

    /** From now on, forwards everything whole. */
    void disarm() {
        armed = false;
        released.countDown();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + registry
                    + exchange.getRequestURI()));
            for (String header : List.of("Accept", "Authorization")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            FORWARDED.forEach(header -> response.headers().firstValue(header)
                    .ifPresent(value -> exchange.getResponseHeaders().add(header, value)));
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            try (InputStream body = response.body()) {
                // The JDK's server reads 0 as "chunked" and -1 as "no body".
                exchange.sendResponseHeaders(response.statusCode(), length < 0 ? 0 : length == 0 ? -1 : length);
                OutputStream out = exchange.getResponseBody();
                if (armed && length > LAYER_SIZE) {
                    out.write(body.readNBytes((int) (length / 2)));
                    out.flush();
                    halfSent.countDown();
                    released.await();
                    return;
                }
                body.transferTo(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        http.close();
    }
}
