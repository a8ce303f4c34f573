package dev.jrun;

import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The command inherits stdin, stdout and stderr and nothing else of the JVM or the launch. */
class DescriptorInheritanceTest {

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void onlyTheThreeStandardStreamsAreOpen() {
        ContainerRun run = ContainerRun.run("ls", "/proc/self/fd");

        // 3 is the directory ls itself opened to list /proc/self/fd.
        assertThat(run.stdoutLines()).containsExactly("0", "1", "2", "3");
    }
}
