package dev.jrun.internal.image;

import dev.jrun.image.Image;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Imports an image from a local source into the store, under the store's lock: blobs copied and
 * verified, layers unpacked, and only then the name written, so an import that fails or is
 * killed leaves no name and nothing a later command trusts.
 */
public final class ImageImport {

    private ImageImport() {
    }

    /**
     * @param root       the store's directory
     * @param source     an OCI layout directory, an OCI archive or a docker-archive
     * @param name       the name to store it under; without one, the name the source gives
     * @param privileged whether this process is root (whiteouts as overlay devices, owners kept)
     * @param warnings   told of what a layer holds that is left out
     */
    public static Image run(Path root, Path source, Optional<ImageReference> name, boolean privileged,
                            Consumer<String> warnings) throws IOException {
        if (!Files.exists(source)) {
            throw new NoSuchFileException(source.toString(), null, "no such image source");
        }
        return store(root, privileged, warnings, layout -> {
            SourceImage found = copyBlobs(layout, source, name);
            ImageReference reference = name.or(found::name).orElseThrow(() -> new InvalidImageException(
                    source + " does not name its image: give a name (jrun import " + source + " NAME)"));
            return new SourceImage(found.manifest(), found.manifestSize(), Optional.of(reference));
        });
    }

    /** Copies an image's blobs into the store; {@return what it copied, named} */
    @FunctionalInterface
    interface BlobCopy {
        SourceImage copyInto(StoreLayout layout) throws IOException;
    }

    /**
     * Under the store's lock: removes what interrupted writers left, copies an image's blobs,
     * checks its manifest and config, unpacks its layers and only then names it.
     */
    static Image store(Path root, boolean privileged, Consumer<String> warnings, BlobCopy copy) throws IOException {
        StoreLayout layout = StoreLayout.at(root);
        layout.create();
        try (StoreLock lock = StoreLock.acquire(layout.root())) {
            layout.removeLeftovers();
            SourceImage found = copy.copyInto(layout);
            ImageReference reference = found.name().orElseThrow();
            StoredImage image = StoredImage.read(layout.blobs(), reference, found.manifest(), found.manifestSize());
            List<Descriptor> layers = image.layers();
            for (int i = 0; i < layers.size(); i++) {
                Descriptor layer = layers.get(i);
                layout.layers().unpack(layout.blobs(), layer.digest(), layer.size(),
                        Optional.of(image.diffIds().get(i)), privileged, warnings);
            }
            layout.references().put(reference, found.manifest());
            return image.image();
        }
    }

    private static SourceImage copyBlobs(StoreLayout layout, Path source, Optional<ImageReference> name)
            throws IOException {
        if (Files.isDirectory(source)) {
            return copyBlobs(SourceFiles.ofDirectory(source), layout, name);
        }
        Path scratch = AtomicFiles.temporaryBeside(layout.scratch().resolve("import"));
        Files.createDirectory(scratch);
        try {
            return copyBlobs(SourceFiles.ofArchive(source, scratch), layout, name);
        } finally {
            AtomicFiles.deleteTree(scratch);
        }
    }

    private static SourceImage copyBlobs(SourceFiles files, StoreLayout layout, Optional<ImageReference> name)
            throws IOException {
        if (files.find(OciLayoutSource.INDEX).isPresent()) {
            return new OciLayoutSource(files, layout.blobs()).copy(name);
        }
        if (files.find(DockerArchiveSource.MANIFEST).isPresent()) {
            return new DockerArchiveSource(files, layout.blobs()).copy(name);
        }
        throw new InvalidImageException(files.description() + " is neither an OCI image layout (no "
                + OciLayoutSource.INDEX + ") nor a docker-archive (no " + DockerArchiveSource.MANIFEST + ")");
    }
}
