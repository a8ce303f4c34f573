package dev.jrun.internal.image;

import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor: what a blob is, its digest and size, and for an index entry its
 * platform and annotations.
 */
record Descriptor(String mediaType, Digest digest, long size, Optional<String> platform,
                  Map<String, String> annotations) {

    Descriptor {
        annotations = Map.copyOf(annotations);
    }

    Optional<String> annotation(String name) {
        return Optional.ofNullable(annotations.get(name));
    }
}
