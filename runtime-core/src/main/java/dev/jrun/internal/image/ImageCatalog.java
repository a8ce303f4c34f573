package dev.jrun.internal.image;

import dev.jrun.image.Image;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The named images of a store: read, listed, removed (with what no other name or container uses). */
public final class ImageCatalog {

    private ImageCatalog() {
    }

    /** {@return the image named {@code reference}, read and verified} */
    public static Optional<Image> find(Path root, ImageReference reference) throws IOException {
        StoreLayout layout = StoreLayout.at(root);
        Optional<Digest> manifest = layout.references().get(reference);
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(StoredImage.read(layout.blobs(), reference, manifest.get(), -1).image());
    }

    /** {@return every named image, sorted by name} */
    public static List<Image> list(Path root) throws IOException {
        StoreLayout layout = StoreLayout.at(root);
        List<Image> images = new ArrayList<>();
        for (Map.Entry<ImageReference, Digest> name : layout.references().all().entrySet()) {
            images.add(StoredImage.read(layout.blobs(), name.getKey(), name.getValue(), -1).image());
        }
        return images;
    }

    /**
     * Removes the name {@code reference}, then every blob and unpacked layer that no remaining
     * name and no container's root uses. {@return whether the name existed}
     */
    public static boolean remove(Path root, ImageReference reference) throws IOException {
        StoreLayout layout = StoreLayout.at(root);
        if (!Files.isDirectory(layout.root())) {
            return false;
        }
        try (StoreLock lock = StoreLock.acquire(layout.root())) {
            if (!layout.references().remove(reference)) {
                return false;
            }
            layout.removeLeftovers();
            ContainerRoots.removeAbandoned(layout);
            Set<Digest> keptBlobs = new HashSet<>();
            Set<Digest> keptLayers = new HashSet<>(ContainerRoots.layersInUse(layout));
            for (Map.Entry<ImageReference, Digest> name : layout.references().all().entrySet()) {
                try {
                    StoredImage image = StoredImage.read(layout.blobs(), name.getKey(), name.getValue(), -1);
                    keptBlobs.add(image.manifest());
                    keptBlobs.add(image.config().digest());
                    image.layers().forEach(layer -> keptBlobs.add(layer.digest()));
                    image.layers().forEach(layer -> keptLayers.add(layer.digest()));
                } catch (InvalidImageException e) {
                    // A damaged image keeps what its name still points at: nothing is guessed away.
                    keptBlobs.add(name.getValue());
                }
            }
            for (Path blob : entries(layout.blobs().directory())) {
                Digest digest = new Digest(blob.getFileName().toString());
                if (!keptBlobs.contains(digest)) {
                    layout.blobs().delete(digest);
                }
            }
            for (Path layer : entries(layout.layers().directory())) {
                Digest digest = new Digest(layer.getFileName().toString());
                if (!keptLayers.contains(digest)) {
                    layout.layers().delete(digest);
                }
            }
            return true;
        }
    }

    private static List<Path> entries(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory,
                    entry -> !entry.getFileName().toString().startsWith(AtomicFiles.TEMPORARY_PREFIX))) {
                stream.forEach(entries::add);
            }
        }
        return entries;
    }
}
