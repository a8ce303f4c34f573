package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Raw system calls through the one {@code syscall(2)} handle agree with libc and capture errno. */
class RawSyscallTest {

    @Test
    void theEffectiveIdsAreLibcs() {
        assertThat(Credentials.effectiveUid()).isEqualTo(Integer.toUnsignedLong(Libc.geteuid()));
        assertThat(Credentials.effectiveGid()).isEqualTo(Integer.toUnsignedLong(Libc.getegid()));
    }

    @Test
    void pointerArgumentsReachTheKernelAsAddresses() {
        Descriptors.Pipe pipe = Descriptors.pipe();
        try (Arena arena = Arena.ofConfined()) {
            Descriptors.writeFully(pipe.writeEnd(), arena.allocateFrom("raw"));
            MemorySegment read = arena.allocate(4);

            assertThat(Descriptors.readFully(pipe.readEnd(), read)).isEqualTo(4);
            assertThat(read.getString(0)).isEqualTo("raw");
        } finally {
            Descriptors.close(pipe.readEnd());
            Descriptors.close(pipe.writeEnd());
        }
    }

    @Test
    void aFailureCarriesTheErrnoOfThatCall() {
        SystemCallException e = catchThrowableOfType(SystemCallException.class,
                () -> RawSyscall.FCNTL.call("-1", -1, Libc.F_GETFL(), 0));

        assertThat(e.errno()).isEqualTo(Libc.EBADF());
        assertThat(e).hasMessage("fcntl(-1): EBADF (Bad file descriptor)");
    }

    @Test
    void anExistingDirectoryIsReportedThroughItsErrno(@TempDir Path dir) {
        Path created = dir.resolve("new");

        assertThat(KernelFiles.mkdir(created)).isTrue();
        assertThat(KernelFiles.mkdir(created)).as("the second mkdir, EEXIST").isFalse();
        assertThat(Files.isDirectory(created)).isTrue();
        KernelFiles.rmdir(created);
        assertThat(created).doesNotExist();
    }

    @Test
    void moreArgumentsThanAnySystemCallTakesAreRefused() {
        assertThatThrownBy(() -> RawSyscall.CLOSE.call("", 1, 2, 3, 4, 5, 6, 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("close given 7 arguments, at most 6 exist");
    }

    @Test
    void aFifoIsMadeWithTheModeAsked(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        Descriptors.mkfifo(fifo.toString(), 0600);

        assertThat(Files.getAttribute(fifo, "unix:mode")).isEqualTo(Libc.S_IFIFO() | 0600);
    }
}
