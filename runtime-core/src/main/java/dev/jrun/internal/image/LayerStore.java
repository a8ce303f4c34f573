package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Unpacked layers, one directory per layer digest under {@code layers/<hex>}, shared read-only
 * by every image and container that uses the layer. A layer is unpacked under a temporary name
 * and renamed only once every entry is written and its blob verified.
 */
final class LayerStore {

    private final Path directory;

    LayerStore(Path storeRoot) {
        this.directory = storeRoot.resolve("layers");
    }

    void create() throws IOException {
        Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    Path path(Digest layer) {
        return directory.resolve(layer.hex());
    }

    boolean has(Digest layer) {
        return Files.isDirectory(path(layer));
    }

    /**
     * Unpacks a stored layer blob unless it is unpacked already.
     *
     * @param diffId   the digest of its uncompressed tar, from the image config, checked too
     * @param warnings told of what the layer holds that is left out (an extended attribute not taken)
     */
    void unpack(BlobStore blobs, Digest layer, long size, Optional<Digest> diffId, boolean privileged,
                Consumer<String> warnings) throws IOException {
        if (has(layer)) {
            return;
        }
        Path destination = path(layer);
        Path temporary = AtomicFiles.temporaryBeside(destination);
        String what = "layer " + layer;
        try (VerifyingInputStream blob = blobs.open(layer, size, what)) {
            Files.createDirectory(temporary);
            MessageDigest uncompressed = Digest.newSha256();
            try (InputStream tar = new DigestInputStream(Compression.decompressed(blob, what), uncompressed)) {
                new LayerUnpacker(temporary, layer, privileged, warnings).unpack(tar);
                // What follows the tar's end (padding) counts for both digests.
                tar.transferTo(OutputStream.nullOutputStream());
                blob.readToEnd();
            }
            Digest actualDiffId = Digest.of(uncompressed);
            if (diffId.isPresent() && !diffId.get().equals(actualDiffId)) {
                throw new InvalidImageException(what + " unpacks to " + actualDiffId + ", its config's diff_id is "
                        + diffId.get());
            }
            Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(temporary);
            throw e;
        }
    }

    void delete(Digest layer) throws IOException {
        AtomicFiles.deleteTree(path(layer));
    }
}
