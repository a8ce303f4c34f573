package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;

/**
 * Blobs (manifests, configs, layers as they were shipped) stored by digest under
 * {@code blobs/sha256/<hex>}. A blob is verified as it is written and again each time it is
 * read; one that does not match its digest is never renamed into place.
 */
final class BlobStore {

    private final Path directory;

    BlobStore(Path storeRoot) {
        this.directory = storeRoot.resolve("blobs").resolve("sha256");
    }

    void create() throws IOException {
        Files.createDirectories(directory);
    }

    Path directory() {
        return directory;
    }

    Path path(Digest digest) {
        return directory.resolve(digest.hex());
    }

    /**
     * Stores the blob read from {@code in}, refused unless it has {@code size} bytes (-1: any)
     * and the digest {@code expected}; a stored blob that verifies is kept as it is.
     */
    void put(InputStream in, Digest expected, long size, String what) throws IOException {
        if (holds(expected, size, what)) {
            return;
        }
        Path destination = path(expected);
        VerifyingInputStream verifying = new VerifyingInputStream(in, expected, size, what);
        Path temporary = AtomicFiles.copyToTemporary(verifying, destination);
        try {
            verifying.readToEnd();
            Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Stores {@code content} and {@return its digest} */
    Digest put(byte[] content, String what) throws IOException {
        Digest digest = Digest.of(content);
        put(new java.io.ByteArrayInputStream(content), digest, content.length, what);
        return digest;
    }

    /** Stores the file {@code source}, whose digest nobody gave, and {@return its digest} */
    Digest putFile(Path source, String what) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha256)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        Digest digest = Digest.of(sha256);
        try (InputStream in = Files.newInputStream(source)) {
            put(in, digest, Files.size(source), what);
        }
        return digest;
    }

    /** {@return the stored blob, verified as it is read: read it to its end before trusting it} */
    VerifyingInputStream open(Digest digest, long size, String what) throws IOException {
        try {
            return new VerifyingInputStream(Files.newInputStream(path(digest)), digest, size, what);
        } catch (NoSuchFileException e) {
            throw new InvalidImageException(what + " (" + digest + ") is missing from the store");
        }
    }

    /** {@return a small stored blob, verified} */
    byte[] read(Digest digest, long size, String what) throws IOException {
        try (VerifyingInputStream in = open(digest, size, what)) {
            byte[] content = in.readAllBytes();
            in.readToEnd();
            return content;
        }
    }

    boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    /** {@return whether the store holds the blob {@code digest} of {@code size} bytes, verified now} */
    boolean holds(Digest digest, long size, String what) throws IOException {
        if (!has(digest)) {
            return false;
        }
        try (VerifyingInputStream in = open(digest, size, what)) {
            in.readToEnd();
            return true;
        } catch (InvalidImageException | UncheckedIOException e) {
            // A damaged copy is replaced by the one being written.
            return false;
        }
    }
}
