package dev.jrun.internal.image;

import dev.jrun.bindings.Libc;
import dev.jrun.image.RootStorage;
import dev.jrun.model.SystemCallException;

import java.io.IOException;
import java.util.Optional;

/**
 * Which way a container's root is made: the one asked for, or without a choice an overlay, and a
 * copy when the overlay's mount fails because overlayfs cannot be used here.
 *
 * <p>That is its errno: {@code ENODEV}, the kernel has no overlayfs (not built, module not
 * loaded); {@code EINVAL}, overlayfs refuses these directories (the store on a filesystem it cannot
 * take as its upper layer, such as another overlayfs or NFS, or too deep a stack of them);
 * {@code EOPNOTSUPP} ({@code ENOTSUP}), the store's filesystem lacks what overlayfs needs of it. A
 * copy works in all of these. Every other errno is a real error and is reported:
 * {@code EPERM} (no right to mount here: the container's own mounts need that right too, and a
 * security module's refusal must be seen, not worked around), a store directory that is missing
 * ({@code ENOENT}), no memory or space, and so on.
 */
final class RootChoice {

    private RootChoice() {
    }

    /**
     * One way of making the root in its empty directory. The overlay's leaves the directory empty
     * when it fails, so that the copy can start from it.
     */
    interface Maker {
        void make() throws IOException;
    }

    /** {@return whether the overlay mount's failure with {@code errno} means that overlayfs cannot be used here} */
    static boolean overlayUnavailable(int errno) {
        return errno == Libc.ENODEV() || errno == Libc.EINVAL() || errno == Libc.EOPNOTSUPP() || errno == Libc.ENOTSUP();
    }

    /**
     * Makes the root the way {@code requested} says, or without a request with {@code overlay}, then
     * with {@code copy} if overlayfs is unavailable; {@return the way it was made}
     */
    static RootStorage make(Optional<RootStorage> requested, Maker overlay, Maker copy) throws IOException {
        if (requested.isPresent()) {
            (requested.get() == RootStorage.OVERLAY ? overlay : copy).make();
            return requested.get();
        }
        SystemCallException unavailable;
        try {
            overlay.make();
            return RootStorage.OVERLAY;
        } catch (SystemCallException e) {
            if (!overlayUnavailable(e.errno())) {
                throw e;
            }
            unavailable = e;
        }
        try {
            copy.make();
        } catch (IOException | RuntimeException e) {
            e.addSuppressed(unavailable);
            throw e;
        }
        return RootStorage.COPY;
    }
}
