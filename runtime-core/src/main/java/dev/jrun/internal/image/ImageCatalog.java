package dev.jrun.internal.image;

import dev.jrun.image.Image;
import dev.jrun.image.ImageReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            ContainerRoots.removeAbandoned(layout);
            UnusedContent.remove(layout);
            return true;
        }
    }
}
