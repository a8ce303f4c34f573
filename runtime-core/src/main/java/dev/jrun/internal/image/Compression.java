package dev.jrun.internal.image;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A layer or archive decompressed by what its first bytes say it is (gzip, zstd or a plain tar),
 * so a wrong or missing media type does not matter.
 */
enum Compression {
    NONE(new byte[0], MediaTypes.OCI_LAYER),
    GZIP(new byte[] {0x1f, (byte) 0x8b}, MediaTypes.OCI_LAYER_GZIP),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}, MediaTypes.OCI_LAYER_ZSTD);

    private static final int MAGIC_LENGTH = 4;

    private final byte[] magic;
    private final String layerMediaType;

    Compression(byte[] magic, String layerMediaType) {
        this.magic = magic;
        this.layerMediaType = layerMediaType;
    }

    /** {@return the OCI media type of a layer compressed this way} */
    String layerMediaType() {
        return layerMediaType;
    }

    /** {@return how {@code file} is compressed} */
    static Compression of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return of(in.readNBytes(MAGIC_LENGTH));
        }
    }

    /** {@return the uncompressed content of {@code in}} */
    static InputStream decompressed(InputStream in, String what) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        buffered.mark(MAGIC_LENGTH);
        byte[] start = buffered.readNBytes(MAGIC_LENGTH);
        buffered.reset();
        return switch (of(start)) {
            case GZIP -> new GzipCompressorInputStream(buffered, true);
            case ZSTD -> zstd(buffered, what);
            case NONE -> buffered;
        };
    }

    private static InputStream zstd(InputStream compressed, String what) throws IOException {
        try {
            return new ZstdContent(compressed, what);
        } catch (LinkageError e) {
            // zstd-jni is optional for the library (jrun ships it): absent, or its native code refused.
            throw new IllegalStateException(what + " is zstd-compressed: reading it needs com.github.luben:zstd-jni,"
                    + " which could not be loaded (" + e + ")", e);
        }
    }

    private static Compression of(byte[] start) {
        for (Compression compression : new Compression[] {GZIP, ZSTD}) {
            byte[] prefix = compression.magic;
            if (start.length >= prefix.length && Arrays.equals(start, 0, prefix.length, prefix, 0, prefix.length)) {
                return compression;
            }
        }
        return NONE;
    }
}
