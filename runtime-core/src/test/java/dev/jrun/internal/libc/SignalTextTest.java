package dev.jrun.internal.libc;

import dev.jrun.bindings.Libc;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Signal names and texts come from glibc; the texts in lower case, as Go's runtime (so runc) words them. */
class SignalTextTest {

    @Test
    void namesASignalSymbolically() {
        assertThat(SignalText.name(Libc.SIGSYS())).isEqualTo("SIGSYS");
        assertThat(SignalText.name(Libc.SIGKILL())).isEqualTo("SIGKILL");
    }

    @Test
    void describesASignalInLowerCaseWords() {
        assertThat(SignalText.description(Libc.SIGSYS())).isEqualTo("bad system call");
        assertThat(SignalText.description(Libc.SIGSEGV())).isEqualTo("segmentation fault");
    }

    @Test
    void anUnknownSignalGetsANumberedFallback() {
        assertThat(SignalText.name(200)).isEqualTo("SIG200");
        assertThat(SignalText.description(200)).isEqualTo("signal 200");
    }
}
