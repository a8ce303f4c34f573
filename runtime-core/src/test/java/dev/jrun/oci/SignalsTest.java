package dev.jrun.oci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignalsTest {

    @Test
    void signalsAreNamedWithOrWithoutSigOrNumbered() {
        assertThat(Signals.parse("TERM")).isEqualTo(15);
        assertThat(Signals.parse("SIGKILL")).isEqualTo(9);
        assertThat(Signals.parse("usr1")).isEqualTo(10);
        assertThat(Signals.parse("2")).isEqualTo(2);
        assertThat(Signals.parse("0")).as("kill(2)'s check that the process is there").isZero();
    }

    @Test
    void unknownSignalsAreRefused() {
        assertThatThrownBy(() -> Signals.parse("SIGNOPE")).hasMessageStartingWith("unknown signal \"SIGNOPE\"");
        assertThatThrownBy(() -> Signals.parse("65")).hasMessageStartingWith("invalid signal number 65");
        assertThatThrownBy(() -> Signals.parse("99999")).hasMessageStartingWith("invalid signal number 99999");
    }
}
