package dev.jrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A minimal root filesystem: Debian's statically linked {@code /bin/busybox}, links for the applets
 * the tests use, and the directories a container mounts on.
 */
public final class BusyboxRootfs {

    /** Where Debian's busybox-static package installs busybox. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    /** The applets linked in {@code /bin}. */
    public static final List<String> APPLETS = List.of("sh", "ls", "cat", "echo", "hostname", "mount", "id");
    /** The top-level directories besides {@code bin}. */
    public static final List<String> DIRECTORIES = List.of("proc", "dev", "sys", "tmp", "etc");

    private static final int PT_INTERP = 3;

    private BusyboxRootfs() {
    }

    /**
     * Fills {@code directory} with the root filesystem and {@return it}; skips the calling test
     * when no statically linked busybox is installed.
     */
    public static Path create(Path directory) {
        assumeTrue(Files.isRegularFile(BUSYBOX),
                "needs " + BUSYBOX + " to build a rootfs: install Debian's busybox-static package");
        assumeTrue(isStaticallyLinked(BUSYBOX),
                BUSYBOX + " is dynamically linked, so it cannot run alone in a rootfs: install busybox-static");
        try {
            Path bin = Files.createDirectories(directory.resolve("bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            for (String name : DIRECTORIES) {
                Files.createDirectories(directory.resolve(name));
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return whether an ELF executable has no program interpreter (dynamic loader)} */
    private static boolean isStaticallyLinked(Path executable) {
        try {
            ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(executable)).order(ByteOrder.LITTLE_ENDIAN);
            long programHeaders = elf.getLong(32);
            int entrySize = Short.toUnsignedInt(elf.getShort(54));
            int entries = Short.toUnsignedInt(elf.getShort(56));
            for (int i = 0; i < entries; i++) {
                if (elf.getInt((int) programHeaders + i * entrySize) == PT_INTERP) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
