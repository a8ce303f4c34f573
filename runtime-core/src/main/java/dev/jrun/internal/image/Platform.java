package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;

import java.util.List;

/** The platform images are resolved to: this JVM's, as OCI writes it. */
final class Platform {

    private Platform() {
    }

    /** {@return {@code linux/amd64} on x86-64, {@code linux/arm64} on aarch64} */
    static String host() {
        String arch = System.getProperty("os.arch");
        return "linux/" + switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> arch;
        };
    }

    /** {@return whether an image for {@code platform} ({@code os/arch[/variant]}) runs here} */
    static boolean matches(String platform) {
        String host = host();
        return platform.equals(host) || platform.startsWith(host + "/");
    }

    /**
     * {@return the manifest for this host among the entries of a multi-platform index (the only
     * entry, when it names no platform)}
     *
     * @param index the index, for the error ("index sha256:... of bb.tar")
     */
    static Descriptor choose(List<Descriptor> manifests, String index) {
        return manifests.stream()
                .filter(m -> m.platform().map(Platform::matches).orElse(manifests.size() == 1))
                .findFirst()
                .orElseThrow(() -> new InvalidImageException("no image for " + host() + " in " + index + " (it has "
                        + manifests.stream().map(m -> m.platform().orElse("?")).toList() + ")"));
    }
}
