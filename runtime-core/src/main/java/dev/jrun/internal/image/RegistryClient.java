package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.ImagePullException;
import dev.jrun.image.ImagePullException.Reason;
import dev.jrun.image.ImageReference;
import dev.jrun.image.PullOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * GET requests to one repository of a registry, through the JDK's HttpClient, as the OCI
 * Distribution API wants them: HTTPS, or plain HTTP for a registry on loopback (named
 * {@code localhost}, {@code 127.x.x.x} or {@code ::1}: nothing crosses a network) or when the
 * caller allows insecure registries; a 401 answered once with the credentials its challenge asks
 * for (HTTP Basic, or a bearer token from the challenge's realm, fetched with the user's
 * credentials when there are any, anonymously otherwise); redirects followed here, so that the
 * Authorization header never goes to another host (blob storage).
 */
final class RegistryClient implements AutoCloseable {

    private static final int MAX_REDIRECTS = 5;
    /** Until a response's headers arrive; a blob's body may then take as long as it takes. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(1);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}");
    /** Docker Hub's API is not served by the name images use. */
    private static final String DOCKER_HUB_API = "registry-1.docker.io";

    private final HttpClient http = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    private final ImageReference reference;
    private final String host;
    private final boolean insecure;
    private final Optional<RegistryCredentials.Basic> credentials;
    private final String scheme;
    private Optional<String> authorization = Optional.empty();

    private RegistryClient(ImageReference reference, boolean insecure, Optional<RegistryCredentials.Basic> credentials) {
        this.reference = reference;
        this.host = reference.registry().equals(ImageReference.DEFAULT_REGISTRY) ? DOCKER_HUB_API : reference.registry();
        this.insecure = insecure;
        this.credentials = credentials;
        this.scheme = plainAllowed(hostName(host)) ? "http" : "https";
    }

    static RegistryClient of(ImageReference reference, PullOptions options) throws IOException {
        return new RegistryClient(reference, options.insecure(),
                RegistryCredentials.find(options.authFiles(), reference.registry()));
    }

    /**
     * {@return the answer to GET {@code /v2/<repository>/<path>}, after authentication and
     * redirects; the caller reads or closes its body}
     *
     * @param accept the media types accepted, or empty for any
     */
    HttpResponse<InputStream> get(String path, String accept) throws IOException {
        URI uri = URI.create(scheme + "://" + host + "/v2/" + reference.repository() + "/" + path);
        HttpResponse<InputStream> response = follow(uri, accept);
        if (response.statusCode() == 401) {
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            response.body().close();
            authorization = Optional.of(authorize(challenge));
            response = follow(uri, accept);
            if (response.statusCode() == 401) {
                response.body().close();
                throw failure(Reason.UNAUTHORIZED, credentials.map(c -> "registry " + reference.registry()
                        + " refused the credentials of " + c.user() + " (from " + c.file() + ")")
                        .orElse(needsCredentials()));
            }
        }
        if (response.statusCode() == 403) {
            response.body().close();
            throw failure(Reason.UNAUTHORIZED, "registry " + reference.registry() + " denied access to "
                    + reference.repository() + credentials.map(c -> " for " + c.user()).orElse(" without credentials"));
        }
        return response;
    }

    /** {@return an error for an answer the caller did not expect, with the start of its body} */
    ImagePullException unexpected(HttpResponse<InputStream> response, String what) throws IOException {
        String body;
        try (InputStream in = response.body()) {
            body = new String(in.readNBytes(300), StandardCharsets.UTF_8).strip();
        }
        return failure(Reason.REGISTRY_ERROR, "registry " + reference.registry() + " answered " + response.statusCode()
                + " to GET " + response.uri() + " (" + what + ")" + (body.isEmpty() ? "" : ": " + body));
    }

    ImagePullException failure(Reason reason, String message) {
        return new ImagePullException(reason, "pull " + reference + ": " + message);
    }

    private HttpResponse<InputStream> follow(URI uri, String accept) throws IOException {
        URI current = uri;
        for (int hops = 0; ; hops++) {
            boolean toRegistry = current.getScheme().equals(uri.getScheme()) && host.equals(current.getRawAuthority());
            HttpResponse<InputStream> response = send(current, accept, toRegistry ? authorization : Optional.empty());
            if (!REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            Optional<String> location = response.headers().firstValue("Location");
            response.body().close();
            if (location.isEmpty() || hops == MAX_REDIRECTS) {
                throw failure(Reason.REGISTRY_ERROR, "registry " + reference.registry() + " redirected GET " + uri
                        + (location.isEmpty() ? " nowhere (no Location)" : " more than " + MAX_REDIRECTS + " times"));
            }
            current = current.resolve(location.get());
            if (current.getHost() == null || !current.getScheme().equals("https")
                    && !(current.getScheme().equals("http") && plainAllowed(current.getHost()))) {
                throw failure(Reason.REGISTRY_ERROR, "registry " + reference.registry() + " redirected GET " + uri
                        + " to " + current + ", which is not an HTTPS URL");
            }
        }
    }

    private HttpResponse<InputStream> send(URI uri, String accept, Optional<String> auth) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("User-Agent", "jrun")
                .timeout(ANSWER_TIMEOUT);
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }
        auth.ifPresent(value -> request.header("Authorization", value));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw failure(Reason.UNREACHABLE, "cannot connect to registry " + reference.registry() + " ("
                    + uri.getScheme() + "://" + uri.getRawAuthority() + "): " + describe(e));
        } catch (HttpTimeoutException e) {
            throw failure(Reason.REGISTRY_ERROR, "registry " + reference.registry() + " did not answer GET " + uri
                    + " within " + ANSWER_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during GET " + uri);
        }
    }

    /** {@return the Authorization header that answers {@code header}, a 401's WWW-Authenticate} */
    private String authorize(String header) throws IOException {
        AuthChallenge challenge = AuthChallenge.parse(header).orElseThrow(() -> failure(Reason.UNAUTHORIZED,
                "registry " + reference.registry() + " answered 401 with no WWW-Authenticate challenge"));
        return switch (challenge.scheme()) {
            case "basic" -> credentials.orElseThrow(() -> failure(Reason.UNAUTHORIZED, needsCredentials())).header();
            case "bearer" -> "Bearer " + token(challenge);
            default -> throw failure(Reason.UNAUTHORIZED, "registry " + reference.registry()
                    + " asks for unsupported authentication \"" + challenge.scheme() + "\"");
        };
    }

    /** Fetches a bearer token from the challenge's realm, for the challenge's scope or a pull of this repository. */
    private String token(AuthChallenge challenge) throws IOException {
        String realm = challenge.parameter("realm").orElseThrow(() -> failure(Reason.UNAUTHORIZED,
                "registry " + reference.registry() + " asks for a bearer token but names no realm"));
        URI realmUri = URI.create(realm);
        String scope = challenge.parameter("scope").orElse("repository:" + reference.repository() + ":pull");
        String query = challenge.parameter("service").map(service -> "service=" + encode(service) + "&").orElse("")
                + "scope=" + encode(scope);
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        boolean secure = realmUri.getScheme().equals("https")
                || realmUri.getScheme().equals("http") && plainAllowed(realmUri.getHost());
        if (!secure) {
            throw failure(Reason.UNAUTHORIZED, "registry " + reference.registry() + " names the token service "
                    + realm + ", which is not HTTPS");
        }
        HttpResponse<InputStream> response = send(uri, "", credentials.map(RegistryCredentials.Basic::header));
        try (InputStream body = response.body()) {
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw failure(Reason.UNAUTHORIZED, "token service " + realm + credentials.map(c -> " refused the"
                        + " credentials of " + c.user() + " (from " + c.file() + ")")
                        .orElse(" refused anonymous access: " + needsCredentials()));
            }
            if (response.statusCode() != 200) {
                throw unexpected(response, "a bearer token");
            }
            JsonNode answer = new ObjectMapper().readTree(body.readNBytes(1 << 20));
            String token = answer.path("token").asText(answer.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw failure(Reason.UNAUTHORIZED, "token service " + realm + " sent no token");
            }
            return token;
        }
    }

    private String needsCredentials() {
        return "registry " + reference.registry() + " requires credentials: none found for it (podman login or"
                + " docker login write them to $XDG_RUNTIME_DIR/containers/auth.json or ~/.docker/config.json)";
    }

    /** {@return whether plain HTTP may carry requests to {@code hostName}} */
    private boolean plainAllowed(String hostName) {
        return insecure || isLoopback(hostName);
    }

    /** By name only: a registry's name is never resolved to decide this. */
    static boolean isLoopback(String hostName) {
        return hostName.equals("localhost") || LOOPBACK_IPV4.matcher(hostName).matches()
                || hostName.equals("[::1]") || hostName.equals("::1");
    }

    private static String hostName(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    }

    /**
     * The JDK's connection errors often carry no message: a refused connection is a
     * ConnectException over a ClosedChannelException, an unknown host one over an
     * UnresolvedAddressException.
     */
    private static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException) {
                return "no such host";
            }
            if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
                return cause.getMessage();
            }
        }
        return "connection refused";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
