package dev.jrun.internal.image;

import dev.jrun.image.ImageReference;

import java.util.Optional;

/**
 * What an import found in its source, its blobs now in the store.
 *
 * @param manifest     the image manifest's digest
 * @param manifestSize its size
 * @param name         the name the source gives it, if any
 */
record SourceImage(Digest manifest, long manifestSize, Optional<ImageReference> name) {
}
