package dev.jrun.junit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Everything a container writes to one stream, read as it comes by a daemon platform thread (a
 * blocking read of a pipe would pin a virtual thread's carrier) until the stream ends, so the
 * container never blocks on a full pipe.
 */
final class OutputCapture {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;

    private OutputCapture(InputStream stream, String name) {
        this.reader = Thread.ofPlatform().daemon().name(name).unstarted(() -> copy(stream));
    }

    /** {@return a capture of {@code stream}, already reading; {@code name} names its thread} */
    static OutputCapture start(InputStream stream, String name) {
        OutputCapture capture = new OutputCapture(stream, name);
        capture.reader.start();
        return capture;
    }

    private void copy(InputStream stream) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = stream.read(buffer)) >= 0; ) {
                synchronized (bytes) {
                    bytes.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // The stream was closed with the container: what was read is all there is.
        }
    }

    /** {@return what was read so far, as UTF-8} */
    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits at most {@code limit} until the stream ended, which it does once every process of the
     * container is gone; {@return whether it did}
     */
    boolean awaitEnd(Duration limit) {
        try {
            return reader.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
