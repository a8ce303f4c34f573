package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A container's command is PID 1 of its own PID namespace, with its own hostname and /proc. */
class ContainerIdentityTest {

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void theCommandIsPidOne() {
        ContainerRun run = ContainerRun.run("sh", "-c", "echo $$");

        assertThat(run.stdout()).isEqualTo("1\n");
        assertThat(run.status()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void theContainerHasTheHostnameItWasGiven() {
        ContainerRun run = ContainerRun.run(Container.builder().command("hostname").hostname("box"));

        assertThat(run.stdout()).isEqualTo("box\n");
    }

    @Test
    void theDefaultHostnameIsJrun() {
        assertThat(ContainerRun.run("hostname").stdout()).isEqualTo("jrun\n");
    }

    @Test
    void procListsOnlyTheContainersOwnProcesses() {
        ContainerRun run = ContainerRun.run("ls", "/proc");

        var pids = run.stdoutLines().stream().filter(name -> name.chars().allMatch(Character::isDigit)).toList();
        assertThat(pids).contains("1").hasSizeLessThanOrEqualTo(2)
                .doesNotContain(Long.toString(ProcessHandle.current().pid()));
        assertThat(run.stdoutLines()).contains("self", "meminfo");
    }
}
