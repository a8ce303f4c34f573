package dev.jrun.internal.image;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's writer lock: an exclusive {@link FileChannel#lock()} on {@code <store>/lock}, which
 * other processes respect, plus a lock of this JVM, because a file lock belongs to the whole
 * process and two threads of one JVM would otherwise overlap. Readers take no lock: everything
 * they read was renamed into place whole.
 */
final class StoreLock implements AutoCloseable {

    private static final ConcurrentMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private StoreLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Waits for, then {@return the store's writer lock} */
    static StoreLock acquire(Path storeRoot) throws IOException {
        Path file = storeRoot.toAbsolutePath().normalize().resolve("lock");
        ReentrantLock threadLock = IN_THIS_JVM.computeIfAbsent(file, key -> new ReentrantLock());
        threadLock.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new StoreLock(threadLock, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            threadLock.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            threadLock.unlock();
        }
    }
}
