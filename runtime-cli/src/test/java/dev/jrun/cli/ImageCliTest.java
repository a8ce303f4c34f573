package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jrun import}, {@code images}, {@code run IMAGE} and {@code rmi} on a busybox image written
 * as a docker-archive and an OCI archive ({@link BusyboxImageArchives}), in an image store given by
 * {@code JRUN_STORAGE}.
 */
class ImageCliTest {

    @TempDir
    Path directory;
    private Path storage;
    private JrunCli jrun;

    @BeforeEach
    void buildImages() throws Exception {
        HostSystem.assumeRoot("mounts an overlay root and starts containers");
        BusyboxImageArchives.writeTo(directory);
        storage = directory.resolve("storage");
        jrun = new JrunCli(List.of("env", "JRUN_STORAGE=" + storage), JrunCli.asThisUser().classpath());
    }

    @AfterEach
    void noContainerRootIsLeft() throws IOException {
        ImageStorageLeftovers.assertNoneIn(storage, directory);
    }

    @Test
    void aDockerArchiveIsImportedListedRunAndRemoved() {
        assertThat(jrun.succeeds("import", directory.resolve("docker.tar").toString()).stdout())
                .startsWith("docker.io/cli-test/busybox:docker sha256:");
        assertThat(jrun.succeeds("images").stdoutLines()).hasSize(2).last().asString()
                .startsWith("docker.io/cli-test/busybox  docker");

        assertThat(jrun.succeeds("run", "--rm", "cli-test/busybox:docker").stdout()).isEqualTo("from the Cmd\n");
        assertThat(jrun.succeeds("run", "cli-test/busybox:docker", "sh", "-c", "echo $0 in the image", "sh").stdout())
                .isEqualTo("sh in the image\n");

        jrun.succeeds("rmi", "cli-test/busybox:docker");
        assertThat(jrun.succeeds("images").stdoutLines()).hasSize(1);
        assertThat(jrun.run("rmi", "cli-test/busybox:docker").stderr()).contains("no image cli-test/busybox:docker");
        assertThat(storageEntries("layers")).isEmpty();
    }

    @Test
    void anOciArchiveIsImportedUnderTheGivenNameAndGivesItsExitCode() {
        jrun.succeeds("import", directory.resolve("oci.tar").toString(), "localhost/oci-test:1");

        JrunCli.Result run = jrun.run("run", "localhost/oci-test:1", "sh", "-c", "exit 7");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(7);
    }

    @Test
    void aCommandAfterDashDashIsTheSandboxEvenWhenAnImageHasItsName() {
        jrun.succeeds("import", directory.resolve("oci.tar").toString(), "echo");

        assertThat(jrun.succeeds("run", "--", "echo", "from the host").stdout()).isEqualTo("from the host\n");
        assertThat(jrun.succeeds("run", "echo").stdout()).as("the image echo, its Cmd").isEqualTo("from the Cmd\n");
    }

    @Test
    void aSourceWithoutAnImageIsRefusedByName() throws IOException {
        Path notAnImage = Files.writeString(directory.resolve("notes.txt"), "not a tar archive at all");

        JrunCli.Result result = jrun.run("import", notAnImage.toString(), "x");

        assertThat(result.exitCode()).isEqualTo(125);
        assertThat(result.stderr()).contains(notAnImage.toString()).contains("tar archive");
    }

    private List<Path> storageEntries(String directoryName) {
        try (Stream<Path> entries = Files.list(storage.resolve(directoryName))) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
