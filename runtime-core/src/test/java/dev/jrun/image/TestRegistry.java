package dev.jrun.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry written by the test with the JDK's HTTP server, serving the blobs of a directory the
 * way the OCI Distribution API does, with what real registries do that a client must handle:
 * blobs redirected to another host (here {@code localhost} for {@code 127.0.0.1}), bearer tokens
 * from a token service, and, on request, a blob cut off halfway or served with other content.
 */
final class TestRegistry implements AutoCloseable {

    static final String TOKEN = "a-token-for-the-test";
    private static final Pattern API = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");

    private final HttpServer server;
    private final Path blobs;
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private final Map<String, byte[]> replacedBlobs = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private volatile Optional<String> requiredCredentials = Optional.empty();
    private volatile boolean basic;
    private final Map<String, Boolean> cutOnce = new ConcurrentHashMap<>();

    private TestRegistry(Path blobs) throws IOException {
        this.blobs = blobs;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@return a registry serving the blobs of {@code blobs} (a directory of sha256 hex names)} */
    static TestRegistry serving(Path blobs) {
        try {
            return new TestRegistry(blobs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return {@code 127.0.0.1:PORT}, the registry part of an image reference} */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes {@code repository:tag} name the manifest or index {@code digest}. */
    void tag(String repositoryAndTag, String digest) {
        tags.put(repositoryAndTag, digest);
    }

    /** From now on, asks for a bearer token that the token service gives for {@code user:password} only. */
    void requireToken(String userAndPassword) {
        requiredCredentials = Optional.of(userAndPassword);
    }

    /** From now on, asks for HTTP Basic with {@code user:password}, as a registry without a token service does. */
    void requireBasic(String userAndPassword) {
        requiredCredentials = Optional.of(userAndPassword);
        basic = true;
    }

    /** Sends the blob {@code digest} halfway the next time it is fetched, then closes the connection. */
    void cutHalfwayOnce(String digest) {
        cutOnce.put(digest, true);
    }

    /** Serves {@code content} for the blob {@code digest}. */
    void replaceBlob(String digest, byte[] content) {
        replacedBlobs.put(digest, content);
    }

    /** {@return each request so far: "PATH AUTHORIZATION" (the header, or "-")} */
    List<String> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            synchronized (requests) {
                requests.add(path + " " + (authorization == null ? "-" : authorization));
            }
            if (path.equals("/token")) {
                token(exchange, authorization);
            } else if (path.startsWith("/storage/")) {
                blob(exchange, path.substring("/storage/".length()));
            } else if (basic && !basicHeader().equals(authorization)) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test-registry\"");
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            } else if (!basic && requiredCredentials.isPresent() && !("Bearer " + TOKEN).equals(authorization)) {
                Matcher api = API.matcher(path);
                String scope = api.matches() ? "repository:" + api.group(1) + ":pull" : "";
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + address()
                        + "/token\",service=\"test-registry\",scope=\"" + scope + "\"");
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            } else if (path.equals("/v2/")) {
                send(exchange, 200, "{}");
            } else {
                api(exchange, path);
            }
        }
    }

    private void api(HttpExchange exchange, String path) throws IOException {
        Matcher api = API.matcher(path);
        if (!api.matches()) {
            send(exchange, 404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}");
            return;
        }
        if (api.group(2).equals("blobs")) {
            // Where registries keep blobs in object storage: another host, which gets no credentials.
            exchange.getResponseHeaders().add("Location", "http://localhost:" + server.getAddress().getPort()
                    + "/storage/" + api.group(3));
            exchange.sendResponseHeaders(307, -1);
            return;
        }
        String reference = api.group(3);
        String digest = reference.startsWith("sha256:") ? reference : tags.get(api.group(1) + ":" + reference);
        Path file = digest == null ? null : blobs.resolve(digest.substring("sha256:".length()));
        if (file == null || !Files.isRegularFile(file)) {
            send(exchange, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
            return;
        }
        byte[] content = Files.readAllBytes(file);
        exchange.getResponseHeaders().add("Content-Type", new ObjectMapper().readTree(content).path("mediaType").asText());
        exchange.getResponseHeaders().add("Docker-Content-Digest", digest);
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
    }

    private void blob(HttpExchange exchange, String digest) throws IOException {
        Path file = blobs.resolve(digest.substring("sha256:".length()));
        if (!Files.isRegularFile(file)) {
            send(exchange, 404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}");
            return;
        }
        byte[] content = replacedBlobs.getOrDefault(digest, Files.readAllBytes(file));
        if (cutOnce.remove(digest) != null) {
            sendHalfAndHangUp(exchange, content);
            return;
        }
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
    }

    /**
     * Answers with the whole length announced but half the content, then closes the connection
     * under the client, as a registry that dies does. The JDK's server cannot drop a connection,
     * so the answer is a redirect to a one-shot server on a plain socket that does.
     */
    private static void sendHalfAndHangUp(HttpExchange exchange, byte[] content) throws IOException {
        ServerSocket once = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try (once; Socket connection = once.accept()) {
                BufferedReader request = new BufferedReader(
                        new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                while (!request.readLine().isEmpty()) {
                    // the request's headers, unused
                }
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + content.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(content, 0, content.length / 2);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        exchange.getResponseHeaders().add("Location", "http://localhost:" + once.getLocalPort() + "/cut");
        exchange.sendResponseHeaders(307, -1);
    }

    private void token(HttpExchange exchange, String authorization) throws IOException {
        if (!basicHeader().equals(authorization)) {
            send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            return;
        }
        send(exchange, 200, "{\"token\":\"" + TOKEN + "\"}");
    }

    private String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString(
                requiredCredentials.orElseThrow().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
