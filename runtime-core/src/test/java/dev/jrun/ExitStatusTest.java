package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import dev.jrun.testing.RunningContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** How a container ended: an exit code, or the signal that killed its first process. */
class ExitStatusTest {

    /** A signal is delivered at once; this only bounds how long a test waits when it is not. */
    private static final Duration SIGNAL_LIMIT = Duration.ofSeconds(5);

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void theExitCodeIsReported() {
        ExitStatus status = ContainerRun.run("sh", "-c", "exit 7").status();

        assertThat(status).isEqualTo(ExitStatus.exited(7));
        assertThat(status.wasKilled()).isFalse();
        assertThat(status.shellCode()).isEqualTo(7);
    }

    @Test
    void sigkillFromTheRuntimeKillsTheContainer() {
        try (ContainerProcess process = RunningContainer.quiet("sleep", "60")) {
            process.kill(9);

            ExitStatus status = ContainerRun.waitFor(process, SIGNAL_LIMIT);
            assertThat(status).isEqualTo(ExitStatus.killed(9));
            assertThat(status.cause()).as("the caller's own SIGKILL is a plain signal").isEqualTo(ExitStatus.Cause.SIGNALED);
            assertThat(status.shellCode()).isEqualTo(137);
            assertThat(process.isAlive()).isFalse();
        }
    }

    @Test
    void sigtermReachesAFirstProcessThatHandlesIt() {
        try (ContainerProcess process = RunningContainer.shell("trap 'exit 42' TERM; echo ready; sleep 60 & wait")) {
            assertThat(RunningContainer.firstLine(process)).isEqualTo("ready");

            process.kill(15);

            assertThat(ContainerRun.waitFor(process, SIGNAL_LIMIT)).isEqualTo(ExitStatus.exited(42));
        }
    }

    /**
     * The command runs as PID 1 of its PID namespace, and the kernel drops a signal sent to such an
     * init when it has no handler for it (pid_namespaces(7)): the SIGTERM is lost, the SIGKILL after it
     * is what ends the container. (Foreground turns an unhandled SIGTERM into that SIGKILL.)
     */
    @Test
    void anUnhandledSigtermIsDroppedByTheNamespaceInit() {
        try (ContainerProcess process = RunningContainer.quiet("sleep", "60")) {
            process.kill(15);
            process.kill(9);

            assertThat(ContainerRun.waitFor(process, SIGNAL_LIMIT)).isEqualTo(ExitStatus.killed(9));
        }
    }

    @Test
    void closingARunningContainerKillsAndReapsIt() {
        ContainerProcess process = RunningContainer.quiet("sleep", "60");
        long pid = process.pid();

        process.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(process.waitFor()).isEqualTo(ExitStatus.killed(9));
        assertThat(ProcessHandle.of(pid)).isEmpty();
    }

    @Test
    void signallingAnEndedContainerDoesNothing() {
        try (ContainerProcess process = RunningContainer.quiet("true")) {
            assertThat(process.waitFor()).isEqualTo(ExitStatus.exited(0));

            process.kill(15);

            assertThat(process.waitFor()).isEqualTo(ExitStatus.exited(0));
        }
    }
}
