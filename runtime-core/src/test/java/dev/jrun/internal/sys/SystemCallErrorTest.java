package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A failing libc call through the errno-capturing wrapper names the call, its argument and the errno. */
class SystemCallErrorTest {

    @Test
    void aFailedOpenNamesThePathAndTheErrno() {
        SystemCallException e = catchThrowableOfType(SystemCallException.class,
                () -> Descriptors.open("/nope/x", Libc.O_RDONLY()));

        assertThat(e).hasMessage("openat(\"/nope/x\"): ENOENT (No such file or directory)");
        assertThat(e.errnoName()).isEqualTo("ENOENT");
        assertThat(e.errno()).isEqualTo(Libc.ENOENT());
        assertThat(e.operation()).isEqualTo("openat(\"/nope/x\")");
    }

    @Test
    void aFailedCloseNamesTheDescriptor() {
        assertThatThrownBy(() -> Descriptors.close(-1))
                .isInstanceOf(SystemCallException.class)
                .hasMessage("close(-1): EBADF (Bad file descriptor)");
    }

    @Test
    void aStreamTurnsAFailedCallIntoAnIoExceptionKeepingTheMessage() {
        FdInputStream stream = new FdInputStream(-1);

        assertThatThrownBy(() -> stream.read(new byte[1], 0, 1))
                .isInstanceOf(IOException.class)
                .hasMessage("read(-1): EBADF (Bad file descriptor)")
                .hasCauseInstanceOf(SystemCallException.class);
    }

    @Test
    void aSuccessfulCallReturnsItsResult() throws IOException {
        int fd = Descriptors.open("/dev/null", Libc.O_RDONLY());
        try (FdInputStream devNull = new FdInputStream(fd)) {
            assertThat(fd).isNotNegative();
            assertThat(devNull.read()).isEqualTo(-1);
        }
    }
}
