package dev.jrun.image;

import java.util.List;

/**
 * An image in the store.
 *
 * @param reference      the name it was stored under
 * @param id             the digest of its config ({@code docker images}' IMAGE ID)
 * @param manifestDigest the digest of its manifest
 * @param layers         the digests of its layers, bottom first
 * @param size           the bytes of its blobs (config and layers as shipped)
 * @param config         how its process runs
 */
public record Image(ImageReference reference, String id, String manifestDigest, List<String> layers, long size,
                    ImageConfig config) {

    /** Copies the list. */
    public Image {
        layers = List.copyOf(layers);
    }
}
