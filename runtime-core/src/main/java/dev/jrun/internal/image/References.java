package dev.jrun.internal.image;

import dev.jrun.image.ImageReference;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Image names: one file per reference under {@code refs/} (the reference URL-encoded, so it is
 * one safe file name) holding its manifest's digest, written atomically.
 */
final class References {

    private final Path directory;

    References(Path storeRoot) {
        this.directory = storeRoot.resolve("refs");
    }

    Path directory() {
        return directory;
    }

    void create() throws IOException {
        Files.createDirectories(directory);
    }

    void put(ImageReference reference, Digest manifest) throws IOException {
        AtomicFiles.write(path(reference), manifest.toString().getBytes(StandardCharsets.US_ASCII));
    }

    Optional<Digest> get(ImageReference reference) throws IOException {
        try {
            return Optional.of(Digest.parse(Files.readString(path(reference), StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    boolean remove(ImageReference reference) throws IOException {
        return Files.deleteIfExists(path(reference));
    }

    /** {@return every name and its manifest's digest, sorted by name} */
    Map<ImageReference, Digest> all() throws IOException {
        Map<String, ImageReference> byName = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (!name.startsWith(AtomicFiles.TEMPORARY_PREFIX)) {
                        String reference = URLDecoder.decode(name, StandardCharsets.UTF_8);
                        byName.put(reference, ImageReference.parse(reference));
                    }
                }
            }
        }
        Map<ImageReference, Digest> all = new LinkedHashMap<>();
        for (ImageReference reference : byName.values()) {
            // A name removed meanwhile is simply not listed.
            get(reference).ifPresent(digest -> all.put(reference, digest));
        }
        return all;
    }

    private Path path(ImageReference reference) {
        return directory.resolve(URLEncoder.encode(reference.toString(), StandardCharsets.UTF_8));
    }
}
