package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Stdio;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RunningContainer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.jrun.testing.RequiresRoot.assumeRootForContainers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Waiting for a container with a time limit, or without blocking (onExit), and telling who ended it. */
class ContainerProcessWaitTest {

    /** Only bounds how long a test waits for what happens at once; never a measured speed. */
    private static final Duration LIMIT = ContainerRun.LIMIT;

    @BeforeEach
    void needsRoot() {
        assumeRootForContainers();
    }

    @Test
    void waitingWithATimeoutAnswersEmptyWhileTheContainerRunsAndTheStatusOnceItEnded() {
        try (ContainerProcess process = Container.builder().command("sh", "-c", "read line; exit 3")
                .stdin(Stdio.PIPE).stdout(Stdio.DISCARD).build().start()) {
            assertThat(process.waitFor(Duration.ofMillis(50))).isEmpty();
            assertThat(process.waitFor(Duration.ZERO)).isEmpty();
            assertThat(process.isAlive()).isTrue();

            closeStdin(process);

            assertThat(process.waitFor(LIMIT)).contains(ExitStatus.exited(3));
            assertThat(process.isAlive()).isFalse();
            assertThat(process.waitFor(Duration.ZERO)).contains(ExitStatus.exited(3));
        }
    }

    @Test
    void aContainerThatOutlivesItsTimeIsKilledAndSaysSo() {
        try (ContainerProcess process = RunningContainer.quiet("sleep", "60")) {
            ExitStatus status = process.waitForOrKill(Duration.ofMillis(100));

            assertThat(status.timedOut()).isTrue();
            assertThat(status.signal()).isEqualTo(9);
            assertThat(status.wasOomKilled()).isFalse();
            assertThat(status).hasToString("killed after its time ran out (signal 9)");
            assertThat(process.waitFor()).isEqualTo(status);
        }
    }

    @Test
    void aContainerThatEndsInTimeIsNotKilled() {
        try (ContainerProcess process = RunningContainer.quiet("sh", "-c", "exit 4")) {
            assertThat(process.waitForOrKill(LIMIT)).isEqualTo(ExitStatus.exited(4));
        }
    }

    @Test
    void onExitCompletesWithTheStatusWithoutAThreadPerContainer() throws Exception {
        List<ContainerProcess> processes = IntStream.range(0, 8).mapToObj(i -> Container.builder()
                .command("sh", "-c", "read line; exit " + i).stdin(Stdio.PIPE).stdout(Stdio.DISCARD)
                .build().start()).toList();
        try {
            List<CompletableFuture<ExitStatus>> exits = processes.stream().map(ContainerProcess::onExit).toList();
            assertThat(exits).noneMatch(CompletableFuture::isDone);
            assertThat(watcherThreads()).isEqualTo(1);

            processes.forEach(ContainerProcessWaitTest::closeStdin);

            for (int i = 0; i < processes.size(); i++) {
                assertThat(exits.get(i).get(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(ExitStatus.exited(i));
                assertThat(processes.get(i).isAlive()).isFalse();
            }
        } finally {
            processes.forEach(ContainerProcess::close);
        }
    }

    @Test
    void onExitOfAnEndedContainerIsAlreadyComplete() {
        ContainerProcess process = RunningContainer.quiet("true");
        process.waitFor();
        process.close();

        assertThat(process.onExit()).isCompletedWithValue(ExitStatus.exited(0));
    }

    @Test
    void completingOneOnExitFutureByHandChangesNoOther() throws Exception {
        try (ContainerProcess process = Container.builder().command("sh", "-c", "read line; exit 5")
                .stdin(Stdio.PIPE).stdout(Stdio.DISCARD).build().start()) {
            process.onExit().complete(ExitStatus.exited(99));
            CompletableFuture<ExitStatus> exit = process.onExit();

            closeStdin(process);

            assertThat(exit.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(ExitStatus.exited(5));
        }
    }

    @Test
    void stderrCanGoWhereStdoutGoes() throws Exception {
        try (ContainerProcess process = Container.builder().command("sh", "-c", "echo one; echo two >&2; echo three")
                .stdout(Stdio.PIPE).stderr(Stdio.STDOUT).build().start()) {
            String output = new String(process.stdout().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(output).isEqualTo("one\ntwo\nthree\n");
            assertThatThrownBy(process::stderr).isInstanceOf(IllegalStateException.class);
            assertThat(process.waitFor()).isEqualTo(ExitStatus.exited(0));
        }
    }

    @Test
    void onlyStderrCanGoWhereStdoutGoes() {
        Container stdin = Container.builder().command("true").stdin(Stdio.STDOUT).build();
        Container stdout = Container.builder().command("true").stdout(Stdio.STDOUT).build();

        assertThatThrownBy(stdin::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stdin cannot be Stdio.STDOUT: only stderr can go where stdout goes");
        assertThatThrownBy(stdout::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stdout cannot be Stdio.STDOUT: only stderr can go where stdout goes");
    }

    private static long watcherThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("jrun-exit-watcher")).count();
    }

    private static void closeStdin(ContainerProcess process) {
        try {
            process.stdin().close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
