package dev.jrun.internal.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * A layer's tar, read by Commons Compress, that also keeps the raw bytes of each entry's PAX
 * extended header: Commons Compress decodes every PAX value as UTF-8, which mangles the binary
 * values of extended attributes ({@code security.capability} holds bytes such as {@code 0x80}),
 * so the attributes are read from the raw records ({@link PaxXattrs}).
 */
final class LayerTarInputStream extends TarArchiveInputStream {

    private final ByteArrayOutputStream paxHeader = new ByteArrayOutputStream();
    /** Commons Compress reads the entry after a PAX header by calling {@link #getNextEntry} again. */
    private int depth;
    private Map<String, byte[]> xattrs = Map.of();

    LayerTarInputStream(InputStream tar) {
        super(tar);
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        if (depth == 0) {
            paxHeader.reset();
        }
        depth++;
        try {
            TarArchiveEntry entry = super.getNextEntry();
            if (depth == 1) {
                xattrs = PaxXattrs.of(paxHeader.toByteArray());
            }
            return entry;
        } finally {
            depth--;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        TarArchiveEntry current = getCurrentEntry();
        if (read > 0 && current != null && current.isPaxHeader()) {
            paxHeader.write(buffer, offset, read);
        }
        return read;
    }

    /** {@return the extended attributes of the entry {@link #getNextEntry} returned last, by name} */
    Map<String, byte[]> xattrs() {
        return xattrs;
    }
}
