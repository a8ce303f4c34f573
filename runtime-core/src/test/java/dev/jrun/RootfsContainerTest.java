package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A container rooted at an unpacked image sees that image as / and nothing of the host. */
class RootfsContainerTest {

    @TempDir
    Path directory;
    private Path rootfs;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @BeforeEach
    void buildRootfs() {
        rootfs = BusyboxRootfs.create(directory);
    }

    private ContainerRun runInRootfs(String... command) {
        return ContainerRun.run(Container.builder().command(command).filesystem(FilesystemSetup.rootfs(rootfs)));
    }

    private List<String> rootfsEntries() throws IOException {
        try (Stream<Path> entries = Files.list(rootfs)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void slashShowsExactlyTheRootfs() throws IOException {
        ContainerRun run = runInRootfs("ls", "/");

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).containsExactlyInAnyOrderElementsOf(rootfsEntries())
                .contains("bin", "proc").doesNotContain("usr", "home");
    }

    @Test
    void theHostsRootIsNotReachable() {
        ContainerRun run = runInRootfs("ls", "/oldroot");

        assertThat(run.status().code()).isNotZero();
        assertThat(run.stderr()).contains("No such file or directory");
    }

    @Test
    void theRootfsIsWritable() {
        ContainerRun run = runInRootfs("sh", "-c", "echo written > /etc/motd");

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(rootfs.resolve("etc/motd")).hasContent("written");
    }

    @Test
    void procAndHostnameWorkInTheRootfs() {
        // "; true" keeps busybox sh from exec'ing cat in its place, so PID 1 is still sh.
        ContainerRun run = runInRootfs("sh", "-c", "echo $$; hostname; cat /proc/1/comm; true");

        assertThat(run.stdoutLines()).containsExactly("1", "jrun", "sh");
    }
}
