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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What is read-only becomes so after everything below it is mounted, as runc orders it: a
 * read-only tmpfs still gets the mount points of the mounts below it (runc's mounts.bats "ro /dev
 * mount", where /dev/pts is made in a read-only /dev) and its tmpcopyup content, and a read-only
 * root keeps its tmpfs mounts writable (podman --read-only).
 */
class ReadOnlyMountOrderTest {

    @TempDir
    Path directory;
    private Path rootfs;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @BeforeEach
    void setUp() {
        rootfs = BusyboxRootfs.create(directory.resolve("rootfs"));
    }

    private static FilesystemSetup.Generic tmpfs(String target, String... options) {
        return new FilesystemSetup.Generic("tmpfs", "tmpfs", target, List.of(options));
    }

    private ContainerRun run(FilesystemSetup setup, String script) {
        return ContainerRun.run(Container.builder().command("sh", "-c", script).filesystem(setup));
    }

    @Test
    void aReadOnlyTmpfsGetsTheMountPointsOfTheMountsBelowIt() {
        ContainerRun result = run(FilesystemSetup.rootfs(rootfs).withMount(tmpfs("/data", "ro"))
                        .withMount(tmpfs("/data/below/deeper")),
                "touch /data/x 2>/dev/null || echo data read-only; touch /data/below/deeper/x && echo below writable");

        assertThat(result.status()).as(result.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(result.stdout()).isEqualTo("data read-only\nbelow writable\n");
    }

    @Test
    void aReadOnlyTmpfsHoldsTheImagesCopy() throws IOException {
        Files.writeString(Files.createDirectory(rootfs.resolve("conf")).resolve("file"), "from the image\n");

        ContainerRun result = run(FilesystemSetup.rootfs(rootfs).withMount(tmpfs("/conf", "ro", "tmpcopyup")),
                "cat /conf/file; touch /conf/x 2>/dev/null || echo conf read-only");

        assertThat(result.status()).as(result.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(result.stdout()).isEqualTo("from the image\nconf read-only\n");
    }

    @Test
    void aReadOnlyRootKeepsItsTmpfsMountsWritable() {
        ContainerRun result = run(FilesystemSetup.rootfs(rootfs).withReadOnlyRoot(true)
                        .withMount(tmpfs("/run", "nosuid", "nodev", "tmpcopyup")).withTmpfs("/var/tmp"),
                "touch /x 2>/dev/null || echo root read-only; touch /run/x /var/tmp/x && echo tmpfs writable");

        assertThat(result.status()).as(result.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(result.stdout()).isEqualTo("root read-only\ntmpfs writable\n");
    }
}
