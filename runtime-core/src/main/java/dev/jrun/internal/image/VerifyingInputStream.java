package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Reads a blob and, at its end, refuses it unless its size and digest are the expected ones;
 * a longer blob is refused as soon as it passes the expected size. A reader must read to the end
 * ({@link #readToEnd()}) before it trusts anything it read.
 */
final class VerifyingInputStream extends FilterInputStream {

    private final MessageDigest sha256 = Digest.newSha256();
    private final Digest expected;
    private final long expectedSize;
    private final String what;
    private long size;
    private boolean verified;

    /**
     * @param expectedSize the size its descriptor gives, or -1 when none does
     * @param what         the blob, for errors ("layer sha256:... of busybox")
     */
    VerifyingInputStream(InputStream in, Digest expected, long expectedSize, String what) {
        super(in);
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            verify();
            return n;
        }
        sha256.update(buffer, offset, n);
        size += n;
        if (expectedSize >= 0 && size > expectedSize) {
            throw new InvalidImageException(what + " is larger than its descriptor's " + expectedSize + " bytes");
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must be hashed too.
        return readNBytes((int) Math.min(n, Integer.MAX_VALUE)).length;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads what is left and verifies the whole blob. */
    void readToEnd() throws IOException {
        byte[] buffer = new byte[64 * 1024];
        while (read(buffer, 0, buffer.length) >= 0) {
            // hashed by read
        }
    }

    private void verify() {
        if (verified) {
            return;
        }
        if (expectedSize >= 0 && size != expectedSize) {
            throw new InvalidImageException(what + " has " + size + " bytes, its descriptor says " + expectedSize
                    + " (truncated?)");
        }
        Digest actual = Digest.of(sha256);
        if (!actual.equals(expected)) {
            throw new InvalidImageException(what + " has digest " + actual + ", expected " + expected);
        }
        verified = true;
    }
}
