package dev.jrun.internal.image;

import dev.jrun.bindings.Libc;
import dev.jrun.image.Image;
import dev.jrun.image.InvalidImageException;
import dev.jrun.image.RootStorage;
import dev.jrun.internal.sys.LayerSyscalls;
import dev.jrun.model.RootOverlay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Containers' root filesystems, each in its directory {@code containers/ID/} with the root at
 * {@code merged}: an overlay of an image's unpacked layers (the top one first) with a private
 * {@code upper} and {@code work} directory, or a private copy of the layers ({@link RootCopy})
 * where overlayfs cannot be used or a copy is asked for ({@link RootChoice}). Each directory
 * records the layers it uses (so {@code rmi} keeps them), the image it was made from (so
 * {@code image prune -a} keeps that image's name) and what owns it: the process that made it, or
 * once handed over ({@link #handOver}) a directory (a container's state directory) it is kept as
 * long as; one whose owner is gone (jrun killed, the state directory removed) is unmounted and
 * removed by the next writer. Both kinds are removed alike ({@link #remove}).
 *
 * <p>Made by another user than root, an overlay root is not mounted here: an unprivileged user
 * may mount overlayfs only in a user namespace of its own, so the container mounts it on
 * {@code merged} itself ({@link RootOverlay}), and the mount goes with the container's mount
 * namespace. Its layers and upper directory are the user's files, root in the container's user
 * namespace.
 */
public final class ContainerRoots {

    private static final String LAYERS = "layers";
    /** The manifest digest of the image it was made from, so that {@code image prune -a} keeps that image. */
    private static final String IMAGE = "image";
    private static final String OWNER = "owner";
    /** How an owner file names a directory rather than a process. */
    private static final String WHILE_EXISTS = "while ";

    private ContainerRoots() {
    }

    /**
     * A root made for a container: remove it with {@link #remove(Path)} on its directory.
     *
     * @param overlay the overlay the container mounts on {@code merged} itself (rootless); empty
     *                when the root is mounted or copied there already
     */
    public record Mounted(Path directory, Path merged, RootStorage storage, Optional<RootOverlay> overlay) {
    }

    /**
     * Makes a new root for a container of {@code image}, the way {@code storage} says, or without
     * one an overlay, and a copy where overlayfs cannot be mounted. Its directory and what it
     * records are made under the store's lock; the root itself after, once its layers are recorded
     * as in use, so that a large copy does not hold up the store's other writers.
     *
     * @param privileged whether this process may mount (root); otherwise an overlay is left for the
     *                   container to mount ({@link RootChoice#rootless})
     */
    public static Mounted mount(Path root, Image image, Optional<RootStorage> storage, boolean privileged)
            throws IOException {
        StoreLayout layout = StoreLayout.at(root);
        if (image.layers().isEmpty()) {
            throw new InvalidImageException(image.reference() + " has no layers to make a root of");
        }
        List<Path> layers = new ArrayList<>();
        Path directory;
        try (StoreLock lock = StoreLock.acquire(layout.root())) {
            removeAbandoned(layout);
            for (String layer : image.layers()) {
                Path unpacked = layout.layers().path(Digest.parse(layer));
                if (!Files.isDirectory(unpacked)) {
                    throw new InvalidImageException(image.reference() + ": layer " + layer
                            + " is not unpacked in the store (import the image again)");
                }
                layers.add(unpacked);
            }
            directory = layout.containers().resolve(UUID.randomUUID().toString());
            Files.createDirectories(directory);
            try {
                AtomicFiles.write(directory.resolve(LAYERS), String.join("\n", image.layers())
                        .getBytes(StandardCharsets.US_ASCII));
                AtomicFiles.write(directory.resolve(IMAGE), image.manifestDigest().getBytes(StandardCharsets.US_ASCII));
                ProcessHandle self = ProcessHandle.current();
                AtomicFiles.write(directory.resolve(OWNER), (self.pid() + " " + startOf(self).orElse(""))
                        .getBytes(StandardCharsets.US_ASCII));
            } catch (IOException | RuntimeException e) {
                AtomicFiles.deleteTree(directory);
                throw e;
            }
        }
        try {
            Path merged = Files.createDirectory(directory.resolve("merged"));
            if (!privileged) {
                return rootless(directory, merged, layers, RootChoice.rootless(storage, layout.root(),
                        System.getProperty("os.version")));
            }
            RootStorage made = RootChoice.make(storage, () -> mountOverlay(directory, merged, layers),
                    () -> RootCopy.copy(layers, merged));
            return new Mounted(directory, merged, made, Optional.empty());
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteTree(directory);
            throw e;
        }
    }

    /** {@return a root copied into {@code merged}, or the overlay of {@code layers} that the container will mount there} */
    private static Mounted rootless(Path directory, Path merged, List<Path> layers, RootStorage storage)
            throws IOException {
        if (storage == RootStorage.COPY) {
            RootCopy.copy(layers, merged);
            return new Mounted(directory, merged, storage, Optional.empty());
        }
        RootOverlay overlay = new RootOverlay(layers.reversed(), Files.createDirectory(directory.resolve("upper")),
                Files.createDirectory(directory.resolve("work")));
        return new Mounted(directory, merged, storage, Optional.of(overlay));
    }

    /** Mounts the overlay of {@code layers} (the bottom one first) at {@code merged}; its upper and work directory go if it fails. */
    private static void mountOverlay(Path directory, Path merged, List<Path> layers) throws IOException {
        List<String> lower = new ArrayList<>();
        for (Path layer : layers.reversed()) {
            lower.add(overlayPath(layer));
        }
        Path upper = Files.createDirectory(directory.resolve("upper"));
        Path work = Files.createDirectory(directory.resolve("work"));
        try {
            LayerSyscalls.mountOverlay(merged, "lowerdir=" + String.join(":", lower) + ",upperdir="
                    + overlayPath(upper) + ",workdir=" + overlayPath(work));
        } catch (RuntimeException e) {
            AtomicFiles.deleteTree(upper);
            AtomicFiles.deleteTree(work);
            throw e;
        }
    }

    /** Unmounts and deletes a container's root, the overlay's upper directory or the copy included. */
    public static void remove(Path directory) throws IOException {
        if (Files.notExists(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Libc.geteuid() == 0) {
            // Another user's overlay root was mounted in its container's mount namespace, and went with it.
            LayerSyscalls.detach(directory.resolve("merged"));
        }
        AtomicFiles.deleteTree(directory);
    }

    /** Keeps the root at {@code directory} as long as the directory {@code owner} exists, not as long as this process. */
    public static void handOver(Path directory, Path owner) throws IOException {
        AtomicFiles.write(directory.resolve(OWNER), (WHILE_EXISTS + owner.toAbsolutePath())
                .getBytes(StandardCharsets.UTF_8));
    }

    /** {@return the layers that containers' roots use} */
    static Set<Digest> layersInUse(StoreLayout layout) throws IOException {
        return digestsIn(layout, LAYERS);
    }

    /** {@return the manifest digests of the images containers' roots were made from} */
    static Set<Digest> imagesInUse(StoreLayout layout) throws IOException {
        return digestsIn(layout, IMAGE);
    }

    private static Set<Digest> digestsIn(StoreLayout layout, String file) throws IOException {
        Set<Digest> inUse = new HashSet<>();
        for (Path directory : directories(layout)) {
            try {
                Files.readAllLines(directory.resolve(file)).forEach(digest -> inUse.add(Digest.parse(digest)));
            } catch (NoSuchFileException e) {
                // Being created or removed: it holds nothing yet, or no longer.
            }
        }
        return inUse;
    }

    /** Removes roots whose owning process is gone; the caller holds the lock. */
    static void removeAbandoned(StoreLayout layout) throws IOException {
        for (Path directory : directories(layout)) {
            if (!ownerAlive(directory)) {
                remove(directory);
            }
        }
    }

    private static boolean ownerAlive(Path directory) throws IOException {
        String[] owner;
        try {
            owner = Files.readString(directory.resolve(OWNER)).split(" ", 2);
        } catch (NoSuchFileException e) {
            return false;
        }
        String text = String.join(" ", owner);
        if (text.startsWith(WHILE_EXISTS)) {
            return Files.isDirectory(Path.of(text.substring(WHILE_EXISTS.length())));
        }
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner[0]));
        return process.isPresent() && startOf(process.get()).orElse("").equals(owner.length > 1 ? owner[1] : "");
    }

    private static Optional<String> startOf(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toString);
    }

    private static List<Path> directories(StoreLayout layout) throws IOException {
        List<Path> directories = new ArrayList<>();
        if (Files.isDirectory(layout.containers())) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.containers())) {
                entries.forEach(directories::add);
            }
        }
        return directories;
    }

    /** Overlay's options separate with ',' and ':': a store path holding one cannot be given. */
    private static String overlayPath(Path path) {
        String text = path.toString();
        if (text.contains(",") || text.contains(":") || text.contains("\\")) {
            throw new IllegalArgumentException("the image store's path " + text
                    + " contains ',', ':' or '\\', which overlayfs options cannot hold: choose another store directory");
        }
        return text;
    }
}
