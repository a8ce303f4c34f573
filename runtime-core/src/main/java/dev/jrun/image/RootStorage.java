package dev.jrun.image;

/**
 * How a container's root is made from an image's layers ({@link dev.jrun.ImageStore#mountRoot}):
 * podman's storage drivers {@code overlay} and {@code vfs}. Without a choice the root is an
 * overlay, or a copy where overlayfs cannot be mounted.
 */
public enum RootStorage {

    /**
     * An overlayfs mount of the layers, read-only, under a private upper directory that takes the
     * container's writes: made at once, whatever the image's size.
     */
    OVERLAY,

    /**
     * A private copy of the layers, merged as overlayfs shows them (podman's {@code vfs}): works on
     * any kernel and filesystem, but takes the time and the space of the whole image per container.
     */
    COPY
}
