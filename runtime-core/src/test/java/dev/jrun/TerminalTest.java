package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Stdio;
import dev.jrun.model.Terminal;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** A container started with a terminal runs on a new pseudo-terminal of its own devpts, sized by the runtime. */
class TerminalTest {

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    /** Starts {@code container}, lets {@code drive} work its terminal, and {@return all the terminal showed} */
    private static String runOnTerminal(Container container, Consumer<Terminal> drive) {
        try (ContainerProcess process = container.start()) {
            Terminal terminal = process.terminal().orElseThrow();
            CompletableFuture<String> output = ContainerRun.readInBackground(terminal.output());
            drive.accept(terminal);
            assertThat(ContainerRun.waitFor(process, ContainerRun.LIMIT)).isEqualTo(ExitStatus.exited(0));
            return output.join();
        }
    }

    private static void type(Terminal terminal, String keys) {
        try {
            OutputStream input = terminal.input();
            input.write(keys.getBytes(StandardCharsets.UTF_8));
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aResizeReachesTheCommandOnItsOwnPseudoTerminal() {
        Container container = Container.builder().terminal(true)
                .command("sh", "-c", "read x; stty size; tty").build();

        String output = runOnTerminal(container, terminal -> {
            terminal.resize(100, 40);
            type(terminal, "\n");
        });

        assertThat(output).contains("40 100").contains("/dev/pts/0");
    }

    @Test
    void theInitialSizeIsSetBeforeTheCommandStarts() {
        Container container = Container.builder().terminal(true).terminalSize(132, 50)
                .command("stty", "size").build();

        assertThat(runOnTerminal(container, terminal -> { })).contains("50 132");
    }

    @Test
    void aContainerWithoutATerminalHasNone() {
        try (ContainerProcess process = Container.builder().command("true")
                .stdin(Stdio.DISCARD).stdout(Stdio.DISCARD).stderr(Stdio.DISCARD).build().start()) {
            assertThat(process.terminal()).isEmpty();
        }
    }
}
