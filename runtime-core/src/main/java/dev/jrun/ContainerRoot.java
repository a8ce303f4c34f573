package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.image.Image;
import dev.jrun.image.ImageConfig;
import dev.jrun.image.RootStorage;
import dev.jrun.internal.image.ContainerRoots;
import dev.jrun.internal.image.ImageUsers;
import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Network;
import dev.jrun.model.RootOverlay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A container's root filesystem made from an image ({@link ImageStore#mountRoot}): an overlay
 * mount whose writes go to a private upper directory, or a private copy of the image's layers
 * ({@link #storage()}). Closing it unmounts it and deletes the upper directory or the copy; close
 * it once the container has ended.
 *
 * <p>Made by another user than root, an overlay is mounted by the container itself, in its own
 * user and mount namespaces ({@link FilesystemSetup#overlayRoot}), and the container's user
 * namespace maps that user alone, to root: the layers and the upper directory are that user's
 * files, which the container sees as root's.
 */
public final class ContainerRoot implements AutoCloseable {

    /** Beside the root, removed with it: the container's /etc/resolv.conf, /etc/hosts and /etc/hostname. */
    private static final String NETWORK_FILES = "etc";

    private final Image image;
    private final Path directory;
    private final Path merged;
    private final RootStorage storage;
    /** The overlay the container mounts itself (rootless), if it is not mounted at {@link #merged} already. */
    private final Optional<RootOverlay> overlay;
    private final boolean rootless;

    ContainerRoot(Image image, ContainerRoots.Mounted mounted, boolean rootless) {
        this.image = image;
        this.directory = mounted.directory();
        this.merged = mounted.merged();
        this.storage = mounted.storage();
        this.overlay = mounted.overlay();
        this.rootless = rootless;
    }

    /**
     * {@return where the root is on the host: the overlay's mount point, or the copy} A rootless
     * overlay is mounted there in the container's mount namespace only.
     */
    public Path path() {
        return merged;
    }

    /** {@return how the root was made: an overlay, or a copy of the layers} */
    public RootStorage storage() {
        return storage;
    }

    /** {@return the directory that holds the root, its upper directory (an overlay's) and its network files} */
    public Path directory() {
        return directory;
    }

    /**
     * Keeps the root as long as the directory {@code owner} exists (a container's state directory)
     * rather than as long as this process: for a container that outlives it. Whoever removes
     * {@code owner} removes the root first ({@link #remove(Path)}); a root whose owner is gone is
     * removed by the next container or image operation of its store.
     */
    public void keepWhileExists(Path owner) {
        try {
            ContainerRoots.handOver(directory, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("hand the root " + directory + " over to " + owner, e);
        }
    }

    /**
     * Unmounts and deletes the root in {@code directory} (its {@link #directory()}), upper directory
     * or copy included; nothing when it is gone already.
     */
    public static void remove(Path directory) {
        try {
            ContainerRoots.remove(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("remove the root " + directory, e);
        }
    }

    /** {@return the image it was made from} */
    public Image image() {
        return image;
    }

    /**
     * {@return a writable root at this overlay or copy, starting in the image's WorkingDir} Docker's
     * {@code --read-only} is {@link FilesystemSetup#withReadOnlyRoot withReadOnlyRoot(true)} on it,
     * and {@code --tmpfs} {@link FilesystemSetup#withTmpfs(String, List)}.
     */
    public FilesystemSetup filesystem() {
        String workingDirectory = image.config().workingDir();
        FilesystemSetup root = overlay.map(layers -> FilesystemSetup.overlayRoot(merged, layers))
                .orElseGet(() -> FilesystemSetup.rootfs(merged));
        return root.withWorkingDirectory(workingDirectory.isEmpty() ? "/" : workingDirectory);
    }

    /**
     * {@return a builder for a container of the image, as docker runs it: its Entrypoint with
     * {@code arguments} (or its Cmd), its Env over jrun's defaults, its WorkingDir and its User
     * (names looked up in the image's /etc/passwd and /etc/group), a {@linkplain Network#PRIVATE
     * private network} with outbound access, and /etc/resolv.conf, /etc/hosts and /etc/hostname of
     * its own, kept beside the root (see {@link Container.Builder#networkFiles}); rootless, a user
     * namespace that maps this user alone, to root}
     */
    public Container.Builder builder(List<String> arguments) {
        return builder(image.config(), arguments);
    }

    /**
     * {@return a builder as {@link #builder(List)} gives, with {@code entrypoint} in place of the
     * image's Entrypoint and its Cmd dropped, as docker's {@code --entrypoint} does: the command is
     * {@code entrypoint} followed by {@code arguments}; an empty {@code entrypoint} clears the
     * image's, and {@code arguments} are then the whole command}
     *
     * @throws IllegalArgumentException when both are empty: there is no command (docker's "No
     *                                  command specified")
     */
    public Container.Builder builder(List<String> entrypoint, List<String> arguments) {
        if (entrypoint.isEmpty() && arguments.isEmpty()) {
            throw new IllegalArgumentException("no command to run in " + image.reference() + ": its Entrypoint is"
                    + " cleared, which drops its Cmd too, and no arguments give one");
        }
        return builder(image.config().withEntrypoint(entrypoint), arguments);
    }

    private Container.Builder builder(ImageConfig config, List<String> arguments) {
        Container.Builder builder = Container.builder()
                .command(config.command(arguments))
                .filesystem(filesystem())
                .network(Network.PRIVATE)
                .networkFiles(networkFilesDirectory());
        if (rootless) {
            // The root's files are this user's alone: no other ID could own, or remove, what the container writes.
            builder.uidMappings(List.of(new IdMapping(0, Libc.geteuid(), 1)))
                    .gidMappings(List.of(new IdMapping(0, Libc.getegid(), 1)));
        }
        for (String variable : config.env()) {
            int equals = variable.indexOf('=');
            if (equals > 0) {
                builder.environment(variable.substring(0, equals), variable.substring(equals + 1));
            }
        }
        try {
            return builder.user(ImageUsers.resolve(this::find, config.user()));
        } catch (IOException e) {
            throw new UncheckedIOException("read the users of " + image.reference(), e);
        }
    }

    /** {@return where the file the container will see at {@code path} (absolute) is on disk, before it starts} */
    private Optional<Path> find(String path) {
        if (overlay.isPresent()) {
            return overlay.get().find(path);
        }
        Path onDisk = merged.resolve(path.substring(1));
        return Files.exists(onDisk, LinkOption.NOFOLLOW_LINKS) ? Optional.of(onDisk) : Optional.empty();
    }

    /** {@return the directory, with empty network files for {@link Container#plan()} until the container starts} */
    private Path networkFilesDirectory() {
        try {
            Path files = Files.createDirectories(directory.resolve(NETWORK_FILES));
            for (String file : ContainerSpec.NETWORK_FILES) {
                if (Files.notExists(files.resolve(file))) {
                    Files.createFile(files.resolve(file));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("create " + directory.resolve(NETWORK_FILES), e);
        }
    }

    /** Unmounts the root and deletes its upper directory, or deletes the copy. */
    @Override
    public void close() {
        remove(directory);
    }
}
