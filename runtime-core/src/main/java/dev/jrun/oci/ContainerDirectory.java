package dev.jrun.oci;

import dev.jrun.internal.sys.Descriptors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One container's state directory, locked while this is open: a file lock
 * keeps out other processes, a lock stripe other threads of this one (file
 * locks are per process). A directory opened only to read the state is not
 * locked: every file is written atomically, and a hook that runs while its
 * container is locked may ask for the state.
 */
final class ContainerDirectory implements AutoCloseable {

    private static final String STATE = "state.json";
    private static final String CONFIG = "config.json";
    private static final String RESOURCES = "resources.json";
    private static final String EXEC_FIFO = "exec.fifo";
    private static final String LOCK = "lock";
    private static final String IMAGE = "image.json";
    private static final String OUTPUT = "output.log";
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private final String id;
    private final Path path;
    private final ReentrantLock threadLock;
    private final FileChannel lockFile;
    private final boolean removeUnlessKept;
    private boolean kept;

    private ContainerDirectory(String id, Path path, ReentrantLock threadLock, FileChannel lockFile,
                               boolean removeUnlessKept) {
        this.id = id;
        this.path = path;
        this.threadLock = threadLock;
        this.lockFile = lockFile;
        this.removeUnlessKept = removeUnlessKept;
    }

    /** {@return the directory, unlocked, for reading only} */
    static ContainerDirectory forReading(String id, Path path) {
        return new ContainerDirectory(id, path, null, null, false);
    }

    /** Locks the directory, waiting for other holders; a new one is removed on close unless kept. */
    static ContainerDirectory lock(String id, Path path, boolean isNew) {
        ReentrantLock threadLock = STRIPES[Math.floorMod(path.hashCode(), STRIPES.length)];
        threadLock.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.lock();
            return new ContainerDirectory(id, path, threadLock, channel, isNew);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threadLock.unlock();
            if (e instanceof NoSuchFileException) {
                throw new ContainerNotFoundException(id, path.getParent());
            }
            throw e instanceof IOException io ? new UncheckedIOException("lock " + path, io) : (RuntimeException) e;
        }
    }

    /** {@return the container's ID} */
    String id() {
        return id;
    }

    /** {@return the container's record, or empty while (or when) its creation did not finish} */
    Optional<ContainerRecord> findRecord() {
        return readIfPresent(STATE, ContainerRecord.class);
    }

    /**
     * {@return the container's record}
     *
     * @throws ContainerStateException if its creation did not finish
     */
    ContainerRecord record() {
        return findRecord().orElseThrow(() -> new ContainerStateException(id, Status.CREATING, "container \"" + id
                + "\" was not created completely; delete it"));
    }

    /** Saves the record, atomically: a reader sees the old one or the new one. */
    void save(ContainerRecord record) {
        write(STATE, OciJson.write(record).getBytes(StandardCharsets.UTF_8));
    }

    /** Saves what the container holds on the host, atomically and durably, before it holds it. */
    void saveResources(HeldResources resources) {
        write(RESOURCES, OciJson.write(resources).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * {@return what the container holds on the host: from its record once created, else what create
     * recorded before it was killed; empty when create got no further than the directory}
     */
    Optional<HeldResources> findResources() {
        return findRecord().map(ContainerRecord::resources).or(() -> readIfPresent(RESOURCES, HeldResources.class));
    }

    /** {@return the directory itself} */
    Path path() {
        return path;
    }

    /** Saves what a container made from an image holds besides its process and cgroup, before it holds it. */
    void saveImageResources(ImageResources resources) {
        write(IMAGE, OciJson.write(resources).getBytes(StandardCharsets.UTF_8));
    }

    /** {@return what a container made from an image holds besides its process and cgroup; empty for a bundle's} */
    Optional<ImageResources> findImageResources() {
        return readIfPresent(IMAGE, ImageResources.class);
    }

    /** Creates the empty file a detached container's stdout and stderr go to, readable by root only. */
    Path createOutputFile() {
        try {
            return Files.createFile(outputFile(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new UncheckedIOException("create " + outputFile(), e);
        }
    }

    /** {@return the file a detached container's stdout and stderr go to, which exists for such a container only} */
    Path outputFile() {
        return path.resolve(OUTPUT);
    }

    /** {@return the name of the user who owns the directory (its number when the host has no name for it)} */
    String owner() {
        try {
            return Files.getOwner(path).getName();
        } catch (NoSuchFileException e) {
            // Deleted since it was opened (run -d --rm's container goes on its own).
            throw new ContainerNotFoundException(id, path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("read the owner of " + path, e);
        }
    }

    /** Keeps the configuration the container was created from: later changes to the bundle do not affect it. */
    void saveConfig(byte[] config) {
        write(CONFIG, config);
    }

    /** {@return the configuration the container was created from, when it was kept} */
    Optional<Spec> config() {
        return readIfPresent(CONFIG, Spec.class);
    }

    private <T> Optional<T> readIfPresent(String name, Class<T> type) {
        Path file = path.resolve(name);
        try {
            return Optional.of(OciJson.read(Files.readAllBytes(file), type, file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /**
     * Writes a file atomically (a reader sees the old one or the new one) and durably: its content
     * is on disk before the rename, the rename before this returns.
     */
    private void write(String name, byte[] bytes) {
        Path temporary = path.resolve(name + ".new");
        try {
            try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (ByteBuffer buffer = ByteBuffer.wrap(bytes); buffer.hasRemaining(); ) {
                    file.write(buffer);
                }
                file.force(true);
            }
            Files.move(temporary, path.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(path, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("write " + path.resolve(name), e);
        }
    }

    /** {@return the exec FIFO the created container waits on} */
    Path execFifo() {
        return path.resolve(EXEC_FIFO);
    }

    /**
     * Creates the exec FIFO, writable by anyone, as runc's: the container reopens it through its
     * descriptor as its own root, which a user namespace may map to another host user. Only root
     * reaches it by its path, in this directory only root may enter.
     */
    Path createExecFifo() {
        Descriptors.mkfifo(execFifo().toString(), 0622);
        try {
            // The umask took the others' bits of mknod's mode.
            Files.setPosixFilePermissions(execFifo(), PosixFilePermissions.fromString("rw--w--w-"));
        } catch (IOException e) {
            throw new UncheckedIOException("chmod " + execFifo(), e);
        }
        return execFifo();
    }

    /** {@return whether the container still waits for start: its FIFO exists until start removes it} */
    boolean hasExecFifo() {
        return Files.exists(execFifo());
    }

    /** Removes the exec FIFO, once the container was started. */
    void removeExecFifo() {
        try {
            Files.deleteIfExists(execFifo());
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + execFifo(), e);
        }
    }

    /** Keeps a new directory when this closes: the container was created. */
    void keep() {
        kept = true;
    }

    /** Removes the directory and everything in it (its lock file too: waiters then find it gone). */
    void remove() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + path, e);
        }
    }

    /** Removes {@code directory} after a failure, when there is nothing better to do with an error. */
    static void removeQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // Reported by the failure that led here.
        }
    }

    @Override
    public void close() {
        try {
            if (removeUnlessKept && !kept) {
                removeQuietly(path);
            }
        } finally {
            closeQuietly(lockFile);
            if (threadLock != null) {
                threadLock.unlock();
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing releases the lock; nothing more to do.
            }
        }
    }
}
