package dev.jrun.image;

import com.github.luben.zstd.ZstdOutputStream;
import dev.jrun.testing.BusyboxRootfs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A layer tar written by the test with Commons Compress's writer (not by the code under test),
 * names kept exactly as given, hostile ones included.
 */
final class TestLayer {

    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();
    /** The raw records of each entry's PAX extended header, empty when it has none. */
    private final List<ByteArrayOutputStream> paxRecords = new ArrayList<>();

    /** {@return a layer with Debian's static busybox at /bin/busybox, applet links and the usual directories} */
    static TestLayer busybox() {
        assumeTrue(Files.isExecutable(BusyboxRootfs.BUSYBOX),
                "needs " + BusyboxRootfs.BUSYBOX + ": install Debian's busybox-static package");
        try {
            TestLayer layer = new TestLayer().directory("bin/", 0755)
                    .file("bin/busybox", Files.readAllBytes(BusyboxRootfs.BUSYBOX), 0755);
            for (String applet : List.of("sh", "echo", "ls", "cat", "id", "pwd", "stat", "test")) {
                layer.symlink("bin/" + applet, "busybox");
            }
            for (String directory : List.of("proc/", "dev/", "sys/", "tmp/", "etc/")) {
                layer.directory(directory, 0755);
            }
            return layer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TestLayer file(String name, byte[] content, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setMode(mode);
        entry.setSize(content.length);
        return add(entry, content);
    }

    TestLayer file(String name, String content) {
        return file(name, content.getBytes(), 0644);
    }

    TestLayer directory(String name, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
        entry.setMode(mode);
        return add(entry, new byte[0]);
    }

    TestLayer symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK, true);
        entry.setLinkName(target);
        return add(entry, new byte[0]);
    }

    TestLayer hardLink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
        entry.setLinkName(target);
        return add(entry, new byte[0]);
    }

    /** Adds a device node or FIFO, {@code type} {@link TarArchiveEntry#LF_CHR}, {@code LF_BLK} or {@code LF_FIFO}. */
    TestLayer device(String name, byte type, int major, int minor, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        entry.setMode(mode);
        return add(entry, new byte[0]);
    }

    /** Gives the entry added last the owner {@code uid}:{@code gid}. */
    TestLayer ownedBy(int uid, int gid) {
        entries.getLast().setUserId(uid);
        entries.getLast().setGroupId(gid);
        return this;
    }

    /** Gives the entry added last the modification time {@code time}. */
    TestLayer modifiedAt(Instant time) {
        entries.getLast().setLastModifiedTime(FileTime.from(time));
        return this;
    }

    /**
     * Gives the entry added last the PAX record {@code key=value}, its value written as raw bytes as
     * Go's archive/tar and GNU tar write {@code SCHILY.xattr.*} (Commons Compress's writer would
     * encode it as UTF-8 text).
     */
    TestLayer paxRecord(String key, byte[] value) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        int rest = 1 + keyBytes.length + 1 + value.length + 1;
        int length = rest + Integer.toString(rest).length();
        if (Integer.toString(length).length() != Integer.toString(rest).length()) {
            length++;
        }
        ByteArrayOutputStream record = paxRecords.getLast();
        record.writeBytes((length + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        record.writeBytes(value);
        record.write('\n');
        return this;
    }

    private TestLayer add(TarArchiveEntry entry, byte[] content) {
        entries.add(entry);
        contents.add(content);
        paxRecords.add(new ByteArrayOutputStream());
        return this;
    }

    /** {@return the layer as an uncompressed tar} */
    byte[] tar() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < entries.size(); i++) {
                byte[] records = paxRecords.get(i).toByteArray();
                if (records.length > 0) {
                    TarArchiveEntry header = new TarArchiveEntry("PaxHeaders/" + i,
                            TarArchiveEntry.LF_PAX_EXTENDED_HEADER_LC, true);
                    header.setSize(records.length);
                    tar.putArchiveEntry(header);
                    tar.write(records);
                    tar.closeArchiveEntry();
                }
                tar.putArchiveEntry(entries.get(i));
                tar.write(contents.get(i));
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@return the layer as a gzipped tar} */
    byte[] tarGz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(tar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@return the layer as a zstd-compressed tar (zstd-jni's writer), with zstd's content checksum} */
    byte[] tarZst() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStream zstd = new ZstdOutputStream(bytes)) {
            zstd.setChecksum(true);
            zstd.write(tar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
