package dev.jrun.internal.image;

import dev.jrun.image.ImageReference;
import dev.jrun.image.PruneResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code image prune}: under the store's lock (so a pull or import waits), removes what no name
 * and no container's root uses, the unnamed images of interrupted writers among it; with
 * {@code all}, first the names of the images no container's root was made from.
 */
public final class ImagePrune {

    private ImagePrune() {
    }

    /** @param all whether to remove the names of the images no container uses, too */
    public static PruneResult run(Path root, boolean all) throws IOException {
        StoreLayout layout = StoreLayout.at(root);
        if (!Files.isDirectory(layout.root())) {
            return new PruneResult(List.of(), List.of(), List.of(), List.of(), 0);
        }
        try (StoreLock lock = StoreLock.acquire(layout.root())) {
            ContainerRoots.removeAbandoned(layout);
            List<ImageReference> untagged = all ? removeUnusedNames(layout) : List.of();
            UnusedContent removed = UnusedContent.remove(layout);
            return new PruneResult(untagged, removed.blobs().stream().map(Digest::toString).toList(),
                    removed.layers().stream().map(Digest::toString).toList(),
                    removed.leftovers().stream().map(Path::toString).toList(), removed.reclaimedBytes());
        }
    }

    /** Removes the names of the images no container root was made from; {@return them} */
    private static List<ImageReference> removeUnusedNames(StoreLayout layout) throws IOException {
        Set<Digest> inUse = ContainerRoots.imagesInUse(layout);
        List<ImageReference> removed = new ArrayList<>();
        for (Map.Entry<ImageReference, Digest> name : layout.references().all().entrySet()) {
            if (!inUse.contains(name.getValue()) && layout.references().remove(name.getKey())) {
                removed.add(name.getKey());
            }
        }
        return removed;
    }
}
