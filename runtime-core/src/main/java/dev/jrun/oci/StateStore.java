package dev.jrun.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The state root ({@code --root}, {@code /run/jrun} by default): one directory
 * per container, named by its ID, holding {@code state.json}, the
 * configuration it was created from, what it holds on the host (recorded
 * before it holds it, {@code resources.json}), its exec FIFO while it
 * waits for start, and a lock file. Files are replaced atomically and synced
 * to disk. Every operation on a container holds that lock, so two
 * commands on one container run one after the other.
 */
final class StateStore {

    /** IDs name a directory: nothing that could leave the root, as runc allows them. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_+\\-.]+");

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path root;

    /** @param root the state root directory; created when the first container is */
    public StateStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** {@return the state root} */
    public Path root() {
        return root;
    }

    /**
     * Refuses an ID that could escape the state root or is no name at all.
     *
     * @throws IllegalArgumentException naming the ID and what IDs may hold
     */
    public static void requireValidId(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("invalid container ID \"" + id + "\": an ID names a directory in the"
                    + " state root, so it may hold letters, digits, '_', '+', '-' and '.', and is not . or ..");
        }
    }

    private static boolean isValidId(String id) {
        return id != null && !id.isEmpty() && !id.equals(".") && !id.equals("..") && ID.matcher(id).matches();
    }

    /**
     * Creates the directory of a new container and locks it. Closing the result without
     * {@link ContainerDirectory#keep()} removes it again.
     *
     * @throws IllegalStateException if a container with this ID exists
     */
    ContainerDirectory create(String id) {
        requireValidId(id);
        Path directory = root.resolve(id);
        try {
            Files.createDirectories(root, OWNER_ONLY);
            Files.createDirectory(directory, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("container \"" + id + "\" already exists (in " + root + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("create " + directory, e);
        }
        try {
            return ContainerDirectory.lock(id, directory, true);
        } catch (RuntimeException e) {
            ContainerDirectory.removeQuietly(directory);
            throw e;
        }
    }

    /**
     * Opens and locks the directory of an existing container, waiting while another command holds it.
     *
     * @throws ContainerNotFoundException if there is no such container
     */
    ContainerDirectory open(String id) {
        Path directory = existingDirectory(id);
        ContainerDirectory opened = ContainerDirectory.lock(id, directory, false);
        if (!Files.isDirectory(directory)) {
            // Deleted while this command waited for the lock.
            opened.close();
            throw noSuchContainer(id);
        }
        return opened;
    }

    /**
     * Opens the directory of an existing container for reading its state, without waiting for the
     * lock (an operation holding it may be running the very hook that asks).
     *
     * @throws ContainerNotFoundException if there is no such container
     */
    ContainerDirectory read(String id) {
        return ContainerDirectory.forReading(id, existingDirectory(id));
    }

    private Path existingDirectory(String id) {
        requireValidId(id);
        Path directory = root.resolve(id);
        if (!Files.isDirectory(directory)) {
            throw noSuchContainer(id);
        }
        return directory;
    }

    /** {@return whether a container with this (valid) ID has a directory} */
    boolean exists(String id) {
        return Files.isDirectory(root.resolve(id));
    }

    private ContainerNotFoundException noSuchContainer(String id) {
        return new ContainerNotFoundException(id, root);
    }

    /** {@return the IDs of every container, sorted; a directory whose name no container could have is none} */
    List<String> ids() {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(StateStore::isValidId).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + root, e);
        }
    }
}
