package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A layer or archive decompressed by what its first bytes say it is (gzip, zstd or a plain tar),
 * so a wrong or missing media type does not matter.
 */
final class Compression {

    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

    private Compression() {
    }

    /** {@return the uncompressed content of {@code in}} */
    static InputStream decompressed(InputStream in, String what) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(ZSTD.length);
        byte[] magic = buffered.readNBytes(ZSTD.length);
        buffered.reset();
        if (startsWith(magic, GZIP)) {
            return new GzipCompressorInputStream(buffered, true);
        }
        if (startsWith(magic, ZSTD)) {
            throw new InvalidImageException(what + " is zstd-compressed: zstd layers are not supported yet");
        }
        return buffered;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
