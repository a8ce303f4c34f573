package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memfd the launch stub runs from is sealed once written: whoever gets hold of it (a descriptor,
 * or a path under /proc) can no longer change a byte of it, nor lift the seals.
 */
class SealedMemfdTest {

    private static final byte[] CONTENT = "the stub".getBytes(StandardCharsets.US_ASCII);

    private int memfd;

    @BeforeEach
    void writeSealedMemfd() {
        try (Arena arena = Arena.ofConfined()) {
            memfd = Descriptors.sealedMemfd("jrun-test", arena.allocateFrom(ValueLayout.JAVA_BYTE, CONTENT));
        }
    }

    @AfterEach
    void closeMemfd() throws IOException {
        Descriptors.close(memfd);
        assertThat(Files.exists(reopenPath())).isFalse();
    }

    private Path reopenPath() {
        return Path.of("/proc/self/fd", Integer.toString(memfd));
    }

    @Test
    void itCarriesEverySeal() {
        int seals = Descriptors.fcntl(memfd, Libc.F_GET_SEALS(), 0);

        assertThat(seals).isEqualTo(Libc.F_SEAL_WRITE() | Libc.F_SEAL_GROW() | Libc.F_SEAL_SHRINK() | Libc.F_SEAL_SEAL());
    }

    @Test
    void aWriteToItsDescriptorIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            assertThatThrownBy(() -> Descriptors.writeFully(memfd, arena.allocateFrom("X")))
                    .isInstanceOf(SystemCallException.class)
                    .hasMessage("write(" + memfd + "): EPERM (Operation not permitted)");
        }
        assertThat(content()).isEqualTo(CONTENT);
    }

    @Test
    void reopenedForWritingThroughProcItCanBeNeitherWrittenNorResized() throws IOException {
        try (FileChannel reopened = FileChannel.open(reopenPath(), StandardOpenOption.WRITE)) {
            assertThatThrownBy(() -> reopened.write(ByteBuffer.wrap(new byte[] {'X'}), 0))
                    .isInstanceOf(IOException.class).hasMessage("Operation not permitted");
            assertThatThrownBy(() -> reopened.write(ByteBuffer.wrap(new byte[] {'X'}), CONTENT.length))
                    .isInstanceOf(IOException.class).hasMessage("Operation not permitted");
            assertThatThrownBy(() -> reopened.truncate(1))
                    .isInstanceOf(IOException.class).hasMessage("Operation not permitted");
        }
        assertThat(content()).isEqualTo(CONTENT);
    }

    @Test
    void itsSealsCannotBeChanged() {
        int writable = Descriptors.open(reopenPath().toString(), Libc.O_RDWR());
        try {
            assertThatThrownBy(() -> Descriptors.fcntl(writable, Libc.F_ADD_SEALS(), Libc.F_SEAL_WRITE()))
                    .isInstanceOf(SystemCallException.class)
                    .hasMessage("fcntl(" + writable + "): EPERM (Operation not permitted)");
        } finally {
            Descriptors.close(writable);
        }
    }

    private byte[] content() {
        try {
            return Files.readAllBytes(reopenPath());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
