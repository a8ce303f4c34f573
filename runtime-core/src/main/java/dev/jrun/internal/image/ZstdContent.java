package dev.jrun.internal.image;

import com.github.luben.zstd.ZstdIOException;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.jrun.image.InvalidImageException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed content of a zstd stream (zstd-jni), whose decoding errors are the image's
 * fault: they become {@link InvalidImageException}s naming the layer or archive, as a wrong digest
 * does, while the source's own I/O errors pass through as they are.
 */
final class ZstdContent extends FilterInputStream {

    private final String what;

    ZstdContent(InputStream compressed, String what) throws IOException {
        super(new ZstdInputStreamNoFinalizer(compressed));
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (ZstdIOException e) {
            throw corrupt(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (ZstdIOException e) {
            throw corrupt(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (ZstdIOException e) {
            throw corrupt(e);
        }
    }

    private InvalidImageException corrupt(ZstdIOException e) {
        return new InvalidImageException(what + " is not a valid zstd stream: " + e.getMessage(), e);
    }
}
