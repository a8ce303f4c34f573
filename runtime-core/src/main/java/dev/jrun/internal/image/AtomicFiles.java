package dev.jrun.internal.image;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Files written whole or not at all: a temporary name ({@value #TEMPORARY_PREFIX}...) in the
 * destination's own directory, synced, then renamed over the destination. A crash leaves only
 * temporary names, which no reader trusts and the next writer removes.
 */
final class AtomicFiles {

    static final String TEMPORARY_PREFIX = ".tmp-";

    private AtomicFiles() {
    }

    /** {@return a fresh temporary name beside {@code destination}} */
    static Path temporaryBeside(Path destination) {
        return destination.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID() + "-" + destination.getFileName());
    }

    /** Writes {@code content} to {@code destination} atomically. */
    static void write(Path destination, byte[] content) throws IOException {
        Path temporary = temporaryBeside(destination);
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content));
                channel.force(true);
            }
            Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Copies {@code in} to a synced temporary file beside {@code destination} and {@return it}. */
    static Path copyToTemporary(InputStream in, Path destination) throws IOException {
        Path temporary = temporaryBeside(destination);
        try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW)) {
            in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return temporary;
    }

    /** {@return what interrupted writers left in {@code directory}: its temporary names, sorted} */
    static List<Path> leftovers(Path directory) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, TEMPORARY_PREFIX + "*")) {
                entries.forEach(leftovers::add);
            }
        }
        leftovers.sort(null);
        return leftovers;
    }

    /** Deletes {@code path} and, if it is a directory (not a link to one), everything in it. */
    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isDirectory()) {
            // A layer's read-only directories, and overlayfs's work directory (mode 000, made by a
            // rootless container's own mount), must be opened up before their entries go.
            File directory = path.toFile();
            directory.setReadable(true, true);
            directory.setWritable(true, true);
            directory.setExecutable(true, true);
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                for (Path entry : entries) {
                    deleteTree(entry);
                }
            }
        }
        Files.delete(path);
    }
}
