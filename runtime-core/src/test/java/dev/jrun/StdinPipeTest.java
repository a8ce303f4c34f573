package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Stdio;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A piped stdin carries what the runtime writes; closing it is the command's end of input. */
class StdinPipeTest {

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void catEchoesWhatIsWrittenToStdin() {
        ContainerRun run = ContainerRun.runWithInput(Container.builder().command("cat"), "hi\n");

        assertThat(run.stdout()).isEqualTo("hi\n");
        assertThat(run.status()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void aStreamThatIsNotPipedCannotBeUsed() {
        try (ContainerProcess process = Container.builder().command("true")
                .stdin(Stdio.DISCARD).stdout(Stdio.DISCARD).stderr(Stdio.DISCARD).build().start()) {
            assertThatIllegalStateException().isThrownBy(process::stdin).withMessageContaining("Stdio.PIPE");
            assertThatIllegalStateException().isThrownBy(process::stdout).withMessageContaining("Stdio.PIPE");
        }
    }
}
