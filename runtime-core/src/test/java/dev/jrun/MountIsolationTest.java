package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.Mountinfo;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a container mounts stays in its mount namespace. */
class MountIsolationTest {

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void aMountMadeInTheContainerIsNeverSeenByTheHost() throws IOException {
        List<String> hostBefore = Mountinfo.mountPoints(Mountinfo.OWN);

        // Mounting needs CAP_SYS_ADMIN, which containers do not keep by default.
        ContainerRun run = ContainerRun.run(Container.builder()
                .command("sh", "-c", "mount -t tmpfs none /mnt && cat /proc/self/mountinfo")
                .inheritCapabilities()
                .seccompUnconfined());

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(Mountinfo.typesMountedOn(run.stdout(), "/mnt")).as("inside the container").contains("tmpfs");
        assertThat(Mountinfo.mountPoints(Mountinfo.OWN)).as("the host's mounts").isEqualTo(hostBefore);
        assertThat(Mountinfo.typesMountedOn(Files.readString(Mountinfo.OWN), "/mnt")).as("on the host").isEmpty();
    }

    @Test
    void theContainerDoesNotSeeTheHostsMountTableButItsOwn() {
        ContainerRun run = ContainerRun.run("cat", "/proc/self/mountinfo");

        assertThat(Mountinfo.parse(run.stdout())).contains("/", "/proc", "/dev", "/sys", "/tmp")
                .doesNotContain("/oldroot", "/newroot");
    }
}
