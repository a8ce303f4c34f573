package dev.jrun.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jrun.internal.libc.CStrings.requireNoNul;

/**
 * An overlay filesystem that a container mounts as its root inside its own user and mount
 * namespaces ({@link FilesystemSetup#overlayRoot}), as a rootless container's root from an image
 * is made: the host's mount namespace never sees it, and its writes go to {@code upper}. It is
 * mounted with overlayfs's {@code userxattr} option, which an unprivileged user namespace needs:
 * the layers mark an opaque directory with {@code user.overlay.opaque=y}, and a whiteout is a 0/0
 * character device.
 *
 * @param lower the layers' directories, the top one first
 * @param upper the empty directory that takes the container's writes
 * @param work  overlayfs's empty work directory, on the filesystem of {@code upper}
 */
public record RootOverlay(List<Path> lower, Path upper, Path work) {

    private static final String OPAQUE = "overlay.opaque";
    private static final int WHITEOUT_TYPE = 0020000;
    private static final int TYPE_BITS = 0170000;

    /**
     * Checks the overlay.
     *
     * @throws IllegalArgumentException without a lower directory, for a relative path, or for a
     *                                  path that overlayfs's options cannot hold (',', ':', '\' or NUL)
     */
    public RootOverlay {
        lower = List.copyOf(lower);
        if (lower.isEmpty()) {
            throw new IllegalArgumentException("an overlay root needs at least one lower directory");
        }
        lower.forEach(RootOverlay::requireOptionPath);
        requireOptionPath(upper);
        requireOptionPath(work);
    }

    /** {@return the options of its mount: the directories and {@code userxattr}} */
    public String mountOptions() {
        List<String> layers = lower.stream().map(Path::toString).toList();
        return "lowerdir=" + String.join(":", layers) + ",upperdir=" + upper + ",workdir=" + work + ",userxattr";
    }

    /**
     * {@return where the file the mounted overlay shows at {@code path} is on the host: in the
     * upper directory or the highest layer that has it; empty when no layer has it, or one above
     * hides it (a whiteout, an opaque directory, a non-directory on the way)} This is how Java
     * reads the root before the container has mounted it.
     *
     * @param path an absolute path inside the root, with no symbolic link before its last name
     */
    public Optional<Path> find(String path) {
        List<String> names = new ArrayList<>();
        for (String name : path.split("/")) {
            if (!name.isEmpty() && !name.equals(".")) {
                names.add(name);
            }
        }
        List<Path> layers = new ArrayList<>();
        layers.add(upper);
        layers.addAll(lower);
        for (Path layer : layers) {
            Path entry = layer;
            boolean opaque = false;
            for (int i = 0; i < names.size(); i++) {
                entry = entry.resolve(names.get(i));
                Optional<Map<String, Object>> attributes = attributes(entry);
                if (attributes.isEmpty()) {
                    break;
                }
                if (isWhiteout(attributes.get())) {
                    return Optional.empty();
                }
                if (i == names.size() - 1) {
                    return Optional.of(entry);
                }
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    return Optional.empty();
                }
                opaque |= isOpaque(entry);
            }
            if (names.isEmpty()) {
                return Optional.of(layer);
            }
            if (opaque) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Map<String, Object>> attributes(Path entry) {
        try {
            return Optional.of(Files.readAttributes(entry, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + entry + " of an overlay root", e);
        }
    }

    private static boolean isWhiteout(Map<String, Object> attributes) {
        return ((Integer) attributes.get("mode") & TYPE_BITS) == WHITEOUT_TYPE
                && ((Number) attributes.get("rdev")).longValue() == 0;
    }

    private static boolean isOpaque(Path directory) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(directory, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        try {
            if (!view.list().contains(OPAQUE)) {
                return false;
            }
            ByteBuffer value = ByteBuffer.allocate(view.size(OPAQUE));
            view.read(OPAQUE, value);
            return new String(value.array(), 0, value.position(), StandardCharsets.US_ASCII).equals("y");
        } catch (IOException e) {
            throw new UncheckedIOException("read the attribute user." + OPAQUE + " of " + directory, e);
        }
    }

    private static void requireOptionPath(Path path) {
        String text = path.toString();
        requireNoNul("overlay directory", text);
        if (!path.isAbsolute() || text.contains(",") || text.contains(":") || text.contains("\\")) {
            throw new IllegalArgumentException("overlay directory " + text + " must be absolute and hold no ',', ':'"
                    + " or '\\', which overlayfs options cannot hold");
        }
    }
}
