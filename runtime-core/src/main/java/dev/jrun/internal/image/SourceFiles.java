package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files of an image source: an OCI layout or docker-archive directory as it is, or an
 * archive of one (OCI archive, {@code docker save} tarball, gzipped or not) unpacked into a
 * scratch directory of the store. An archive's symbolic links (older {@code docker save} links
 * repeated layers) are never created on disk: they are followed by name, inside the archive only.
 */
final class SourceFiles {

    private static final int MAX_LINKS = 40;

    private final Path directory;
    private final Map<String, String> links;
    private final String description;

    private SourceFiles(Path directory, Map<String, String> links, String description) {
        this.directory = directory;
        this.links = links;
        this.description = description;
    }

    /** {@return the files of the directory {@code source}} */
    static SourceFiles ofDirectory(Path source) {
        return new SourceFiles(source, Map.of(), source.toString());
    }

    /** Unpacks the archive {@code source} into the empty directory {@code scratch}; {@return its files} */
    static SourceFiles ofArchive(Path source, Path scratch) throws IOException {
        Map<String, String> links = new HashMap<>();
        try (InputStream in = Compression.decompressed(Files.newInputStream(source), source.toString());
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            boolean any = false;
            while ((entry = tar.getNextEntry()) != null) {
                any = true;
                String name = normalise(entry.getName(), source);
                if (name.isEmpty()) {
                    continue;
                }
                if (entry.isSymbolicLink() || entry.isLink()) {
                    links.put(name, entry.isLink() ? "/" + normalise(entry.getLinkName(), source) : entry.getLinkName());
                } else if (entry.isDirectory()) {
                    Files.createDirectories(scratch.resolve(name));
                } else if (entry.isFile()) {
                    Path file = scratch.resolve(name);
                    // No link is ever created here, so the parents are real directories of scratch.
                    Files.createDirectories(file.getParent());
                    Files.copy(tar, file);
                }
            }
            if (!any) {
                throw new InvalidImageException(source + " is not a tar archive (or is empty)");
            }
        } catch (IOException e) {
            if (e instanceof java.nio.file.FileSystemException) {
                throw e;
            }
            throw new InvalidImageException(source + " is not a complete tar archive: " + e.getMessage(), e);
        }
        return new SourceFiles(scratch, links, source.toString());
    }

    /** {@return {@code name} (slash-separated, relative) if the source has it as a file} */
    Optional<Path> find(String name) {
        String resolved = normalise(name, Path.of(description));
        for (int hops = 0; hops < MAX_LINKS; hops++) {
            String link = links.get(resolved);
            if (link == null) {
                Path file = directory.resolve(resolved);
                return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
            }
            // A hard link's target is stored with a leading slash: relative to the archive's root.
            String base = link.startsWith("/") ? "" : parentOf(resolved);
            resolved = resolveInside(base + "/" + link.replaceFirst("^/+", ""), name);
        }
        throw new InvalidImageException(description + ": too many links at " + name);
    }

    /** {@return the file {@code name} of the source} */
    Path require(String name) {
        return find(name).orElseThrow(() -> new InvalidImageException(description + " has no " + name));
    }

    InputStream open(String name) throws IOException {
        return Files.newInputStream(require(name), StandardOpenOption.READ);
    }

    String description() {
        return description;
    }

    private static String parentOf(String name) {
        int slash = name.lastIndexOf('/');
        return slash < 0 ? "" : name.substring(0, slash);
    }

    /** {@return {@code path} with "." and ".." resolved by name, refused when ".." would leave the source} */
    private String resolveInside(String path, String name) {
        java.util.ArrayDeque<String> components = new java.util.ArrayDeque<>();
        for (String component : path.split("/")) {
            if (component.equals("..")) {
                if (components.pollLast() == null) {
                    throw new InvalidImageException(description + ": the link at " + name + " leaves the archive");
                }
            } else if (!component.isEmpty() && !component.equals(".")) {
                components.addLast(component);
            }
        }
        return String.join("/", components);
    }

    /** {@return {@code name} without "." components, refused when absolute or with ".."} */
    private static String normalise(String name, Path source) {
        if (name.startsWith("/")) {
            throw new InvalidImageException(source + ": entry \"" + name + "\" is an absolute path");
        }
        StringBuilder normalised = new StringBuilder();
        for (String component : name.split("/")) {
            if (component.equals("..")) {
                throw new InvalidImageException(source + ": entry \"" + name + "\" leaves the archive (\"..\")");
            }
            if (!component.isEmpty() && !component.equals(".")) {
                normalised.append(normalised.isEmpty() ? "" : "/").append(component);
            }
        }
        return normalised.toString();
    }
}
