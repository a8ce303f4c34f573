package dev.jrun.internal.sys;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Reads a descriptor the JVM got from a system call, not from {@code java.io}. */
public final class FdInputStream extends InputStream {

    private static final int BUFFER = 8192;

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER);
    private boolean closed;

    /** Takes ownership of {@code fd}: closing the stream closes it. */
    public FdInputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (length == 0) {
            return 0;
        }
        int n = IoErrors.io(() -> Descriptors.read(fd, buffer.asSlice(0, Math.min(length, BUFFER))));
        if (n == 0) {
            return -1;
        }
        MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, offset, n);
        return n;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            arena.close();
            IoErrors.io(() -> {
                Descriptors.close(fd);
                return 0;
            });
        }
    }
}
