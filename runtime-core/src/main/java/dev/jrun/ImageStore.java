package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.image.Image;
import dev.jrun.image.ImageNotFoundException;
import dev.jrun.image.ImageReference;
import dev.jrun.image.ImagePullException;
import dev.jrun.image.InvalidImageException;
import dev.jrun.image.PruneResult;
import dev.jrun.image.PullOptions;
import dev.jrun.image.RootStorage;
import dev.jrun.internal.image.ContainerRoots;
import dev.jrun.internal.image.ImageCatalog;
import dev.jrun.internal.image.ImageImport;
import dev.jrun.internal.image.ImagePrune;
import dev.jrun.internal.image.ImagePull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A content-addressed store of container images on disk: blobs kept by digest and verified
 * whenever they are written or read, each layer unpacked once and shared by every image and
 * container that uses it, images named by {@link ImageReference}.
 *
 * <p>Writes are atomic (a temporary name, then a rename in the same directory) and writers
 * (import, pull, remove, prune, container roots) take the store's file lock in turn, so two processes may
 * import or pull the same image at once, and an import or pull that is killed leaves nothing a
 * later command trusts: the next writer removes its leftovers. Readers take no lock.
 *
 * <p>Run by root, layers are unpacked as overlayfs lower directories (whiteouts as 0/0
 * character devices, opaque directories marked {@code trusted.overlay.opaque=y}) with their
 * owners, device nodes and modes, and {@link #mountRoot} gives a container an overlay root (or a
 * copy of the layers, where overlayfs cannot be mounted). Run
 * by another user, layers keep their modes but are owned by that user (root in the container's
 * user namespace), device nodes are skipped, whiteouts are 0/0 character devices all the same and
 * opaque directories are marked {@code user.overlay.opaque=y}; {@link #mountRoot} then leaves the
 * overlay for the container to mount in its own user namespace, or copies the layers.
 * Extended attributes of layer entries (file capabilities among them) are kept where the store's
 * filesystem takes them; one left out is reported to {@link #withWarnings the warnings' consumer}.
 *
 * <p>Needs Jackson ({@code jackson-databind}) and Apache Commons Compress on the class or module
 * path, as {@code dev.jrun.oci} needs Jackson.
 */
public final class ImageStore {

    private final Path directory;
    private final Consumer<String> warnings;

    private ImageStore(Path directory, Consumer<String> warnings) {
        this.directory = directory.toAbsolutePath().normalize();
        this.warnings = warnings;
    }

    /** {@return the store in {@code directory} (created when first written), which drops warnings} */
    public static ImageStore at(Path directory) {
        return new ImageStore(directory, warning -> { });
    }

    /**
     * {@return this store, telling {@code warnings} what an import or pull leaves out of a layer
     * (an extended attribute the store's filesystem does not take, or that this process may not
     * set), each with the layer, the entry and the reason}
     */
    public ImageStore withWarnings(Consumer<String> warnings) {
        return new ImageStore(directory, warnings);
    }

    /** {@return the store at {@link #defaultDirectory()}} */
    public static ImageStore atDefaultDirectory() {
        return at(defaultDirectory());
    }

    /**
     * {@return {@code /var/lib/jrun} for root; for another user {@code $XDG_DATA_HOME/jrun}, or
     * {@code ~/.local/share/jrun} when XDG_DATA_HOME is not set}
     */
    public static Path defaultDirectory() {
        return defaultDirectory(Libc.geteuid() == 0, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Path defaultDirectory(boolean root, Map<String, String> environment, Path home) {
        if (root) {
            return Path.of("/var/lib/jrun");
        }
        String dataHome = environment.get("XDG_DATA_HOME");
        Path base = dataHome == null || dataHome.isEmpty() ? home.resolve(".local/share") : Path.of(dataHome);
        return base.resolve("jrun");
    }

    /** {@return the store's directory} */
    public Path directory() {
        return directory;
    }

    /**
     * Imports an image from an OCI image layout directory, an OCI archive ({@code podman save
     * --format oci-archive}) or a docker-archive ({@code docker save}, {@code podman save}),
     * gzipped or not. A multi-platform index is resolved to this host's platform.
     *
     * @param source the directory or archive
     * @param name   the name to give it; without one, the name the source records
     * @return the image as stored
     * @throws InvalidImageException when the source or an image in it is refused (nothing is named then)
     * @throws UncheckedIOException  when the source or the store cannot be read or written
     */
    public Image importImage(Path source, Optional<String> name) {
        try {
            return ImageImport.run(directory, source, name.map(ImageReference::parse), isRoot(), warnings);
        } catch (IOException e) {
            throw new UncheckedIOException("import " + source + " into " + directory, e);
        }
    }

    /**
     * Pulls an image from its registry with the OCI Distribution API and names it
     * {@code reference}: over HTTPS (plain HTTP for a registry on loopback, or for any with
     * {@link PullOptions#insecure()}), anonymous or with the credentials of
     * {@link PullOptions#authFiles()} (HTTP Basic or a bearer token, as the registry asks); a
     * multi-platform index is resolved to this host's platform. Each blob is streamed into a
     * temporary file while its digest and size are checked, and kept only when they match; blobs
     * already stored are not fetched again, so a pull that was interrupted is simply repeated.
     *
     * @param reference the image, e.g. {@code registry.example:5000/tools/app:1} or
     *                  {@code busybox} (Docker Hub's {@code library/busybox:latest})
     * @param options   insecure registries, credential files, a progress listener
     * @return the image as stored
     * @throws ImagePullException    when the registry has no such image, refuses access, cannot be
     *                               reached or answers with an error
     * @throws InvalidImageException when the reference is malformed or the registry sent a blob or
     *                               manifest that does not verify, or an image jrun cannot run
     * @throws UncheckedIOException  when the transfer breaks off, or the store cannot be written
     */
    public Image pull(String reference, PullOptions options) {
        ImageReference parsed = ImageReference.parse(reference);
        try {
            return ImagePull.run(directory, parsed, options, isRoot(), warnings);
        } catch (IOException e) {
            throw new UncheckedIOException("pull " + parsed + " into " + directory, e);
        }
    }

    /** {@return every named image, sorted by name} */
    public List<Image> images() {
        try {
            return ImageCatalog.list(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("list the images of " + directory, e);
        }
    }

    /** {@return the image named {@code reference} ({@code busybox} means docker.io/library/busybox:latest)} */
    public Optional<Image> find(String reference) {
        try {
            return ImageCatalog.find(directory, ImageReference.parse(reference));
        } catch (IOException e) {
            throw new UncheckedIOException("read image " + reference + " of " + directory, e);
        }
    }

    /**
     * Removes the name {@code reference}, and the blobs and layers no other image or running
     * container uses.
     *
     * @throws ImageNotFoundException when no image has that name
     */
    public void remove(String reference) {
        try {
            if (!ImageCatalog.remove(directory, ImageReference.parse(reference))) {
                throw new ImageNotFoundException(reference);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remove image " + reference + " from " + directory, e);
        }
    }

    /**
     * Removes what nothing uses, as {@code docker image prune}: the blobs and unpacked layers that
     * no name and no container's root uses (the unnamed images an interrupted import or pull left
     * among them) and the temporary files of interrupted writers. With {@code all}, first the
     * names of the images no container's root was made from, then their blobs and layers too.
     * The layers of a mounted container root are always kept. Holds the store's writer lock, so
     * a concurrent import or pull waits.
     *
     * @param all whether to remove every image no container uses, not only unnamed content
     * @return what was removed and the bytes it took
     * @throws UncheckedIOException when the store cannot be read or written
     */
    public PruneResult prune(boolean all) {
        try {
            return ImagePrune.run(directory, all);
        } catch (IOException e) {
            throw new UncheckedIOException("prune the images of " + directory, e);
        }
    }

    /**
     * Makes a root filesystem for a container of {@code image}: an overlay of its layers with a
     * private writable upper directory or, where overlayfs cannot be mounted (the kernel has none,
     * or it cannot use the store's filesystem: the mount fails with {@code ENODEV}, {@code EINVAL}
     * or {@code EOPNOTSUPP}), a private copy of its layers ({@link RootStorage#COPY});
     * {@link ContainerRoot#storage()} says which. Removed by {@link ContainerRoot#close()}.
     *
     * <p>Called by another user than root, the overlay is mounted by the container itself, in its
     * user namespace (Linux 5.11 or later), where a mount failure is the container's start failing;
     * a copy is made instead where that cannot work (an older kernel, or the store on a filesystem
     * overlayfs refuses as its upper layer, such as another overlayfs or NFS).
     *
     * @throws dev.jrun.model.SystemCallException when the overlay cannot be mounted for another
     *                                            reason ({@code EPERM}...), which a copy would not mend
     */
    public ContainerRoot mountRoot(Image image) {
        return mountRoot(image, Optional.empty());
    }

    /**
     * Makes a root filesystem for a container of {@code image} the way {@code storage} says, as
     * podman's {@code --storage-driver} chooses: {@link RootStorage#OVERLAY} fails where overlayfs
     * cannot be mounted, {@link RootStorage#COPY} copies the layers even where it can. Removed by
     * {@link ContainerRoot#close()}.
     */
    public ContainerRoot mountRoot(Image image, RootStorage storage) {
        return mountRoot(image, Optional.of(storage));
    }

    private ContainerRoot mountRoot(Image image, Optional<RootStorage> storage) {
        try {
            return new ContainerRoot(image, ContainerRoots.mount(directory, image, storage, isRoot()), !isRoot());
        } catch (IOException e) {
            throw new UncheckedIOException("make a root for " + image.reference(), e);
        }
    }

    private static boolean isRoot() {
        return Libc.geteuid() == 0;
    }
}
