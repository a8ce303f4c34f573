package dev.jrun.internal.image;

import dev.jrun.image.PullProgress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A blob's stream as it arrives, each read reported to a {@link PullProgress}. */
final class ReportingInputStream extends FilterInputStream {

    private final PullProgress progress;
    private final String digest;
    private final long size;
    private long bytes;

    ReportingInputStream(InputStream in, PullProgress progress, String digest, long size) {
        super(in);
        this.progress = progress;
        this.digest = digest;
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            report(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            report(n);
        }
        return n;
    }

    private void report(int n) {
        bytes += n;
        progress.transferred(digest, bytes, size);
    }
}
