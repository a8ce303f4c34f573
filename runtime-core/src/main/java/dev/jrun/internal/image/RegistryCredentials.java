package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Credentials for a registry from the files podman and docker write ({@code "auths"}, each entry's
 * {@code "auth"} the base64 of {@code user:password}): the first file with an entry for the
 * registry wins. Docker writes Docker Hub as {@code https://index.docker.io/v1/}.
 */
final class RegistryCredentials {

    /** The spellings of Docker Hub in credential files. */
    private static final Set<String> DOCKER_HUB = Set.of(
            "docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

    /**
     * A user and password for one registry.
     *
     * @param user     the user name, for errors
     * @param encoded  the base64 of {@code user:password}, as HTTP Basic sends it
     * @param file     the file it came from, for errors
     */
    record Basic(String user, String encoded, Path file) {
        String header() {
            return "Basic " + encoded;
        }
    }

    private RegistryCredentials() {
    }

    /** {@return the credentials the first of {@code files} holds for {@code registry}} */
    static Optional<Basic> find(List<Path> files, String registry) throws IOException {
        for (Path file : files) {
            Optional<Basic> found = find(file, registry);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Basic> find(Path file, String registry) throws IOException {
        JsonNode auths;
        try {
            auths = new ObjectMapper().readTree(Files.readAllBytes(file)).path("auths");
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new InvalidImageException("credentials file " + file + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        for (Map.Entry<String, JsonNode> entry : auths.properties()) {
            String encoded = entry.getValue().path("auth").asText("");
            if (!encoded.isEmpty() && sameRegistry(hostOf(entry.getKey()), registry)) {
                return Optional.of(new Basic(userOf(encoded, file, entry.getKey()), encoded, file));
            }
        }
        return Optional.empty();
    }

    /** {@return the host (and port) of a credential key: a bare host, or a URL as docker writes Docker Hub} */
    private static String hostOf(String key) {
        String host = key.replaceFirst("^[a-z]+://", "");
        int slash = host.indexOf('/');
        return slash < 0 ? host : host.substring(0, slash);
    }

    private static boolean sameRegistry(String key, String registry) {
        return key.equals(registry) || DOCKER_HUB.contains(key) && DOCKER_HUB.contains(registry);
    }

    private static String userOf(String encoded, Path file, String key) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("credentials file " + file + ": the auth of " + key + " is not base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new InvalidImageException("credentials file " + file + ": the auth of " + key
                    + " is not user:password");
        }
        return decoded.substring(0, colon);
    }
}
