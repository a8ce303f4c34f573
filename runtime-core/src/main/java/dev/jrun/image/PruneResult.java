package dev.jrun.image;

import java.util.List;

/**
 * What {@link dev.jrun.ImageStore#prune} removed from an image store.
 *
 * @param untagged       the names removed (with {@code all}: images no container uses)
 * @param blobs          the digests of the blobs removed (manifests, configs, layers as shipped)
 * @param layers         the digests of the unpacked layers removed
 * @param leftovers      the temporary files and directories interrupted writers left, relative
 *                       to the store's directory
 * @param reclaimedBytes the sizes of the regular files among them (links are not followed)
 */
public record PruneResult(List<ImageReference> untagged, List<String> blobs, List<String> layers,
                          List<String> leftovers, long reclaimedBytes) {

    /** Copies the lists. */
    public PruneResult {
        untagged = List.copyOf(untagged);
        blobs = List.copyOf(blobs);
        layers = List.copyOf(layers);
        leftovers = List.copyOf(leftovers);
    }
}
