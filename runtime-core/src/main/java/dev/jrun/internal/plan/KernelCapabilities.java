package dev.jrun.internal.plan;

import dev.jrun.model.Capability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The capabilities the running kernel knows, which may be more (or fewer) than the bindings name. */
final class KernelCapabilities {

    private static final Path CAP_LAST_CAP = Path.of("/proc/sys/kernel/cap_last_cap");
    private static final int SYSCTL_READ_SIZE = 64;

    private KernelCapabilities() {
    }

    /** {@return the number of the kernel's highest capability; the bindings' highest when /proc does not say} */
    static int last() {
        if (!Files.isReadable(CAP_LAST_CAP)) {
            return Arrays.stream(Capability.values()).mapToInt(Capability::number).max().orElseThrow();
        }
        // One read with room to spare: a sysctl file answers a read at an offset other than 0 with
        // end of file, so Files.readString, which reads its first byte alone, would see "4" of "40".
        try (InputStream in = Files.newInputStream(CAP_LAST_CAP)) {
            return Integer.parseInt(new String(in.readNBytes(SYSCTL_READ_SIZE), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + CAP_LAST_CAP, e);
        }
    }
}
