package dev.jrun;

import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Resources;
import dev.jrun.model.Stdio;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The public values say what they are in logs and test reports, and never show an environment value. */
@Tag("plan")
class ToStringTest {

    @Test
    void aContainerShowsItsCommandAndSetUpAndOnlyTheNamesOfItsEnvironment() {
        Container container = Container.builder().command("sh", "-c", "echo $TOKEN").hostname("web")
                .environment("TOKEN", "hunter2").resources(Resources.none().withPidsLimit(64))
                .stdout(Stdio.PIPE).stderr(Stdio.STDOUT).build();

        assertThat(container.toString())
                .startsWith("Container[command=[sh, -c, echo $TOKEN], hostname=web, namespaces=NamespaceSet[")
                .contains("filesystem=FilesystemSetup[host sandbox, /proc, /dev, /sys,", "TOKEN", "pids",
                        "stdin/stdout/stderr=INHERIT/PIPE/STDOUT")
                .doesNotContain("hunter2");
    }

    @Test
    void aFilesystemShowsItsRootAndMounts() {
        FilesystemSetup filesystem = FilesystemSetup.rootfs(Path.of("/srv/alpine")).withReadOnlyRoot(true)
                .withTmpfs("/cache").withWorkingDirectory("/work");

        assertThat(filesystem.toString()).startsWith("FilesystemSetup[rootfs /srv/alpine read-only, /proc, /dev")
                .contains("mounts=[Tmpfs[target=/cache]]", "working directory /work");
        assertThat(FilesystemSetup.unchanged()).hasToString("FilesystemSetup[unchanged, working directory /]");
    }
}
