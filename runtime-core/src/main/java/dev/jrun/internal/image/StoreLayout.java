package dev.jrun.internal.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The directories of an image store:
 * <pre>
 * lock                      the writers' lock
 * blobs/sha256/HEX          manifests, configs and layers as shipped
 * layers/HEX/               each layer unpacked, read-only, shared
 * refs/NAME                 a name's manifest digest (NAME URL-encoded)
 * containers/ID/            a container's overlay: upper/, work/, merged/
 * tmp/                      archives being imported
 * </pre>
 * Names starting {@code .tmp-} are unfinished writes, removed by the next writer.
 */
record StoreLayout(Path root, BlobStore blobs, LayerStore layers, References references) {

    static StoreLayout at(Path root) {
        Path absolute = root.toAbsolutePath().normalize();
        return new StoreLayout(absolute, new BlobStore(absolute), new LayerStore(absolute), new References(absolute));
    }

    Path containers() {
        return root.resolve("containers");
    }

    Path scratch() {
        return root.resolve("tmp");
    }

    /** Creates the directories; only the owner may enter the store (layers hold files of any owner). */
    void create() throws IOException {
        Files.createDirectories(root);
        blobs.create();
        layers.create();
        references.create();
        Files.createDirectories(containers());
        Files.createDirectories(scratch());
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    }

    /** {@return what interrupted writers left: temporary names in the store's directories} */
    List<Path> leftovers() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        for (Path directory : List.of(blobs.directory(), layers.directory(), references.directory(), scratch())) {
            leftovers.addAll(AtomicFiles.leftovers(directory));
        }
        return leftovers;
    }

    /** Removes what interrupted writers left; the caller holds the lock. */
    void removeLeftovers() throws IOException {
        for (Path leftover : leftovers()) {
            AtomicFiles.deleteTree(leftover);
        }
    }
}
