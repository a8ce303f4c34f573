package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The default filesystem: the host's root read-only, a private empty /tmp, binds on top. */
class HostSandboxTest {

    @TempDir
    Path shared;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    /** The temporary directory is root's alone (0700): only the host's root gets into it. */
    private static Container.Builder withVolume(Path source, FilesystemSetup.Access access, String... command) {
        return Container.builder().command(command).hostRoot(true)
                .filesystem(FilesystemSetup.hostSandbox().withBind(source, "/work", access));
    }

    @Test
    void theHostsRootIsReadOnly() {
        ContainerRun run = ContainerRun.run("touch", "/usr/jrun-test-file");

        assertThat(run.status().code()).isNotZero();
        assertThat(run.stderr()).contains("Read-only file system");
        assertThat(Path.of("/usr/jrun-test-file")).doesNotExist();
    }

    @Test
    void tmpStartsEmpty() {
        ContainerRun run = ContainerRun.run("ls", "-A", "/tmp");

        assertThat(run.status()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aFileWrittenToTmpStaysInTheContainer() {
        String name = "jrun-test-" + UUID.randomUUID();

        ContainerRun run = ContainerRun.run("sh", "-c", "echo secret > /tmp/" + name + " && cat /tmp/" + name);

        assertThat(run.stdout()).isEqualTo("secret\n");
        assertThat(Path.of("/tmp", name)).doesNotExist();
    }

    @Test
    void aReadWriteBindIsWrittenThrough() {
        ContainerRun run = ContainerRun.run(withVolume(shared, FilesystemSetup.Access.READ_WRITE,
                "sh", "-c", "echo hello > /work/out"));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(shared.resolve("out")).hasContent("hello");
    }

    @Test
    void aReadOnlyBindCanBeReadButNotWritten() throws IOException {
        Files.writeString(shared.resolve("in"), "from the host");

        ContainerRun run = ContainerRun.run(withVolume(shared, FilesystemSetup.Access.READ_ONLY,
                "sh", "-c", "cat /work/in; touch /work/new"));

        assertThat(run.stdout()).isEqualTo("from the host");
        assertThat(run.stderr()).contains("Read-only file system");
        assertThat(shared.resolve("new")).doesNotExist();
    }

    @Test
    void theCommandStartsInTheWorkingDirectory() {
        Container.Builder builder = Container.builder().command("pwd")
                .filesystem(FilesystemSetup.hostSandbox().withWorkingDirectory("/usr/bin"));

        assertThat(ContainerRun.run(builder).stdout()).isEqualTo("/usr/bin\n");
    }

    /** The host's root is read-only in the sandbox, yet a mount point it lacks must still be made. */
    @Test
    void aBindOnAPathTheHostLacksIsRefusedWithoutTouchingTheHost() {
        String target = "/jrun-test-" + UUID.randomUUID();
        Container container = Container.builder().command("true")
                .filesystem(FilesystemSetup.hostSandbox().withBind(shared, target, FilesystemSetup.Access.READ_ONLY))
                .build();

        assertThatThrownBy(container::start)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mount destination " + target + " does not exist on the host")
                .hasMessageContaining("under a tmpfs such as /tmp");
        assertThat(Path.of(target)).doesNotExist();
    }

    @Test
    void aBindUnderTheFreshTmpIsMountedOnADirectoryMadeForIt() throws IOException {
        Files.writeString(shared.resolve("in"), "mounted");
        Container.Builder builder = Container.builder().command("cat", "/tmp/a/b/in").hostRoot(true)
                .filesystem(FilesystemSetup.hostSandbox().withBind(shared, "/tmp/a/b", FilesystemSetup.Access.READ_ONLY));

        assertThat(ContainerRun.run(builder).stdout()).isEqualTo("mounted");
    }
}
