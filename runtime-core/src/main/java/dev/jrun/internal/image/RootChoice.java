package dev.jrun.internal.image;

import dev.jrun.bindings.Libc;
import dev.jrun.image.RootStorage;
import dev.jrun.model.SystemCallException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 *
 * <p>Rootless, the overlay is mounted by the container itself, in its user namespace, after jrun
 * has returned the root, so no errno comes back in time to choose: without a choice, the root is an
 * overlay where overlayfs can be mounted in a user namespace ({@code userxattr}, Linux 5.11 or
 * later) on the store's filesystem (not one overlayfs refuses as its upper layer: another
 * overlayfs, NFS, CIFS, FUSE), and a copy elsewhere.
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

    /** Filesystem types overlayfs refuses as its upper layer, or that a user namespace's overlay cannot use. */
    private static final List<String> NO_UPPER_LAYER = List.of("overlay", "nfs", "nfs4", "cifs", "smb3", "fuse");
    /** The first kernel whose overlayfs mounts in a user namespace (with {@code userxattr}). */
    private static final Runtime.Version USER_NAMESPACE_OVERLAY = Runtime.Version.parse("5.11");

    /**
     * {@return the way a rootless root is made: the one asked for, or an overlay where a user
     * namespace can mount one with its upper layer in {@code store} on {@code kernel}, else a copy}
     *
     * @param kernel the kernel's release, as {@code uname -r} prints it
     */
    static RootStorage rootless(Optional<RootStorage> requested, Path store, String kernel) throws IOException {
        if (requested.isPresent()) {
            return requested.get();
        }
        String type = Files.getFileStore(store).type();
        boolean refused = NO_UPPER_LAYER.stream().anyMatch(name -> type.equals(name) || type.startsWith(name + "."));
        return !refused && kernelRelease(kernel).compareTo(USER_NAMESPACE_OVERLAY) >= 0 ? RootStorage.OVERLAY
                : RootStorage.COPY;
    }

    /** {@return the major and minor number of a kernel release such as {@code 6.18.44-fc}} */
    private static Runtime.Version kernelRelease(String kernel) {
        Matcher numbers = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(kernel);
        return Runtime.Version.parse(numbers.find() ? numbers.group(1) + "." + numbers.group(2) : "0");
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
