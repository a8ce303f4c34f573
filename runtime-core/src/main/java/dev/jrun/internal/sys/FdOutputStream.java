package dev.jrun.internal.sys;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Writes a descriptor the JVM got from a system call, not from {@code java.io}. */
public final class FdOutputStream extends OutputStream {

    private final int fd;
    private boolean closed;

    /** Takes ownership of {@code fd}: closing the stream closes it. */
    public FdOutputStream(int fd) {
        this.fd = fd;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(length, 1));
            MemorySegment.copy(bytes, offset, data, ValueLayout.JAVA_BYTE, 0, length);
            IoErrors.io(() -> {
                Descriptors.writeFully(fd, data.asSlice(0, length));
                return 0;
            });
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            IoErrors.io(() -> {
                Descriptors.close(fd);
                return 0;
            });
        }
    }
}
