package dev.jrun.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to pull an image from a registry.
 *
 * @param insecure  whether to speak plain HTTP to every registry; without it only a registry on
 *                  loopback ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) is spoken to
 *                  in plain HTTP, every other one over HTTPS
 * @param authFiles the credential files read, first match wins: podman's {@code auth.json} and
 *                  docker's {@code config.json} ({@code "auths"} with a base64 {@code "auth"}
 *                  of {@code user:password} per registry)
 * @param progress  told of each layer as it arrives
 */
public record PullOptions(boolean insecure, List<Path> authFiles, PullProgress progress) {

    /** Checks the values and copies the list. */
    public PullOptions {
        authFiles = List.copyOf(authFiles);
        Objects.requireNonNull(progress, "progress");
    }

    /** {@return HTTPS only (but for loopback), the credential files of {@link #defaultAuthFiles()}, no progress} */
    public static PullOptions defaults() {
        return new PullOptions(false, defaultAuthFiles(), PullProgress.NONE);
    }

    /**
     * {@return {@code $XDG_RUNTIME_DIR/containers/auth.json} (when XDG_RUNTIME_DIR is set), then
     * {@code ~/.docker/config.json}}
     */
    public static List<Path> defaultAuthFiles() {
        return defaultAuthFiles(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static List<Path> defaultAuthFiles(Map<String, String> environment, Path home) {
        List<Path> files = new ArrayList<>();
        String runtimeDirectory = environment.get("XDG_RUNTIME_DIR");
        if (runtimeDirectory != null && !runtimeDirectory.isEmpty()) {
            files.add(Path.of(runtimeDirectory, "containers", "auth.json"));
        }
        files.add(home.resolve(".docker").resolve("config.json"));
        return files;
    }

    /** {@return these options with {@link #insecure()} set to {@code allowed}} */
    public PullOptions withInsecure(boolean allowed) {
        return new PullOptions(allowed, authFiles, progress);
    }

    /** {@return these options reading credentials from {@code files} only} */
    public PullOptions withAuthFiles(List<Path> files) {
        return new PullOptions(insecure, files, progress);
    }

    /** {@return these options reporting to {@code listener}} */
    public PullOptions withProgress(PullProgress listener) {
        return new PullOptions(insecure, authFiles, listener);
    }
}
