package dev.jrun.image;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image's name, normalised as docker and podman do: {@code busybox} is
 * {@code docker.io/library/busybox:latest}, {@code me/app:1} is {@code docker.io/me/app:1},
 * {@code localhost:5000/app} is {@code localhost:5000/app:latest}. A first component with a dot
 * or a colon, or {@code localhost}, is a registry; a reference with a digest
 * ({@code name@sha256:...}) gets no default tag.
 *
 * @param registry   the registry's host (and port), e.g. {@code docker.io}
 * @param repository the repository path, e.g. {@code library/busybox}
 * @param tag        the tag, empty only when a digest is given
 * @param digest     the manifest's digest, if the reference pins one
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<String> digest) {

    /** Docker Hub, the registry of a name without one. */
    public static final String DEFAULT_REGISTRY = "docker.io";
    private static final String DEFAULT_TAG = "latest";
    private static final Pattern REPOSITORY =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]+)?");

    /** Checks each part; use {@link #parse} to read a reference as a person writes it. */
    public ImageReference {
        if (!REGISTRY.matcher(registry).matches()) {
            throw new InvalidImageException("invalid registry \"" + registry + "\"");
        }
        if (!REPOSITORY.matcher(repository).matches()) {
            throw new InvalidImageException("invalid repository name \"" + repository
                    + "\" (lower-case letters, digits and . _ - separators)");
        }
        tag.ifPresent(t -> {
            if (!TAG.matcher(t).matches()) {
                throw new InvalidImageException("invalid tag \"" + t + "\"");
            }
        });
        digest.ifPresent(d -> {
            if (!DIGEST.matcher(d).matches()) {
                throw new InvalidImageException("invalid digest \"" + d + "\" (sha256:<64 hex digits>)");
            }
        });
        if (tag.isEmpty() && digest.isEmpty()) {
            throw new InvalidImageException("a reference needs a tag or a digest");
        }
    }

    /** {@return {@code text} normalised} */
    public static ImageReference parse(String text) {
        String rest = text;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        String registry = DEFAULT_REGISTRY;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DEFAULT_REGISTRY) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of(DEFAULT_TAG);
        }
        if (rest.isEmpty()) {
            throw new InvalidImageException("invalid image reference \"" + text + "\"");
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** {@return the normalised form, e.g. {@code docker.io/library/busybox:latest}} */
    @Override
    public String toString() {
        return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
