package dev.jrun.internal.libc;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A list of NUL-terminated strings as the kernel gives one ({@code /proc/PID/cmdline}, {@code listxattr}). */
@Tag("plan")
class CStringsTest {

    @Test
    void eachTerminatedStringIsOneEmptyOnesIncludedAndBytesAfterTheLastNulAreNone() {
        byte[] list = "jrun-client\0kill\0\0é\0cut".getBytes(StandardCharsets.UTF_8);

        assertThat(CStrings.splitTerminated(list)).containsExactly("jrun-client", "kill", "", "é");
        assertThat(CStrings.splitTerminated(new byte[0])).isEmpty();
    }
}
