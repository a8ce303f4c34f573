package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;

/** A layer entry that would leave its layer or that jrun cannot unpack. */
final class LayerEntryRefusedException extends InvalidImageException {

    private static final long serialVersionUID = 1L;

    LayerEntryRefusedException(Digest layer, String entry, String why) {
        super("layer " + layer + ": entry \"" + entry + "\" refused: " + why);
    }
}
