package dev.jrun.internal.image;

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
import java.util.Set;

/**
 * The store's garbage collection: removes what interrupted writers left, then every blob and
 * unpacked layer that no name and no container's root uses. The caller holds the store's lock
 * and has removed abandoned roots first, so the roots left are those in use.
 *
 * @param blobs          the blobs removed
 * @param layers         the unpacked layers removed
 * @param leftovers      the temporary entries removed, relative to the store's directory
 * @param reclaimedBytes what they all took
 */
record UnusedContent(List<Digest> blobs, List<Digest> layers, List<Path> leftovers, long reclaimedBytes) {

    static UnusedContent remove(StoreLayout layout) throws IOException {
        long reclaimed = 0;
        List<Path> leftovers = new ArrayList<>();
        for (Path leftover : layout.leftovers()) {
            reclaimed += DiskUsage.of(leftover);
            AtomicFiles.deleteTree(leftover);
            leftovers.add(layout.root().relativize(leftover));
        }
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
        List<Digest> blobs = new ArrayList<>();
        for (Path blob : entries(layout.blobs().directory())) {
            Digest digest = new Digest(blob.getFileName().toString());
            if (!keptBlobs.contains(digest)) {
                reclaimed += DiskUsage.of(blob);
                layout.blobs().delete(digest);
                blobs.add(digest);
            }
        }
        List<Digest> layers = new ArrayList<>();
        for (Path layer : entries(layout.layers().directory())) {
            Digest digest = new Digest(layer.getFileName().toString());
            if (!keptLayers.contains(digest)) {
                reclaimed += DiskUsage.of(layer);
                layout.layers().delete(digest);
                layers.add(digest);
            }
        }
        return new UnusedContent(blobs, layers, leftovers, reclaimed);
    }

    /** {@return the finished entries of {@code directory}, sorted} */
    private static List<Path> entries(Path directory) throws IOException {
        List<Path> entries = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory,
                    entry -> !entry.getFileName().toString().startsWith(AtomicFiles.TEMPORARY_PREFIX))) {
                stream.forEach(entries::add);
            }
        }
        entries.sort(null);
        return entries;
    }
}
