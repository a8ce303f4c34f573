package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.HostSnapshot;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Many containers run one after another from one JVM leave it as they found it. */
class ContainerLeakTest {

    private static final int CONTAINERS = 200;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void twoHundredContainersLeakNoDescriptorMountOrProcess() {
        ContainerRun.run("true");
        HostSnapshot before = HostSnapshot.capture();

        for (int i = 0; i < CONTAINERS; i++) {
            assertThat(ContainerRun.run("true").status()).as("container %d", i).isEqualTo(ExitStatus.exited(0));
        }

        HostSnapshot after = HostSnapshot.capture();
        assertThat(after.zombieChildren()).as("zombies").isEmpty();
        assertThat(after).isEqualTo(before);
    }
}
