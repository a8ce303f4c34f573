package dev.jrun.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals sent to jrun are passed on to the container; jrun exits the way the container ended. */
class CliSignalTest {

    /** A forwarded signal is handled at once; this only bounds how long a test waits when it is not. */
    private static final Duration SIGNAL_LIMIT = Duration.ofSeconds(20);

    private final JrunCli jrun = JrunCli.asThisUser();

    @BeforeAll
    static void needsRoot() {
        HostSystem.assumeRoot("jrun run starts a real container (creates namespaces and mounts)");
    }

    /** Starts jrun running {@code script} and {@return it} once the script printed its first line, "ready". */
    private Process startReady(String script) {
        return JrunCli.whenReady(jrun.start("run", "--", "sh", "-c", script));
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT", "HUP", "QUIT"})
    void aSignalToJrunReachesTheContainer(String signal) {
        Process process = startReady("trap 'exit 42' " + signal + "; echo ready; sleep 30 & wait");

        JrunCli.send(signal, process);

        assertThat(JrunCli.finish(process, SIGNAL_LIMIT).exitCode()).isEqualTo(42);
    }

    /**
     * A plain command ends on SIGTERM as in a shell, and jrun exits 128 + 15. The command is PID 1 of
     * its PID namespace, which the kernel shields from signals it has no handler for, so this fails
     * until jrun puts an init in front of it.
     */
    @Test
    void sigtermEndsAPlainCommandAndJrunExits143() {
        Process process = startReady("echo ready; exec sleep 30");

        JrunCli.send("TERM", process);

        assertThat(JrunCli.finish(process, SIGNAL_LIMIT).exitCode()).isEqualTo(143);
    }

    /** Like {@link #sigtermEndsAPlainCommandAndJrunExits143()}: Ctrl-C ends a plain command, 128 + 2. */
    @Test
    void sigintEndsAPlainCommandAndJrunExits130() {
        Process process = startReady("echo ready; exec sleep 30");

        JrunCli.send("INT", process);

        assertThat(JrunCli.finish(process, SIGNAL_LIMIT).exitCode()).isEqualTo(130);
    }
}
