package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jrun import}, {@code images}, {@code run IMAGE} (on an overlay or, with {@code --storage-driver vfs}, a
 * copy), {@code rmi} and {@code image prune} on a busybox image written
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

    @Test
    void theStorageDriverChoosesAnOverlayOrACopyOfTheLayersAsTheContainersRoot() {
        jrun.succeeds("import", directory.resolve("docker.tar").toString());

        JrunCli.Result copy = jrun.succeeds("run", "--storage-driver", "vfs", "cli-test/busybox:docker", "sh", "-c",
                "echo written > /bin/new && cat /bin/new /proc/self/mountinfo");
        JrunCli.Result overlay = jrun.succeeds("run", "--storage-driver", "overlay", "cli-test/busybox:docker",
                "sh", "-c", "cat /proc/self/mountinfo; [ ! -e /bin/new ] || echo written");

        assertThat(copy.stdoutLines()).first().isEqualTo("written");
        assertThat(rootFilesystemType(copy.stdout())).isNotEqualTo("overlay");
        assertThat(rootFilesystemType(overlay.stdout())).isEqualTo("overlay");
        assertThat(overlay.stdout()).as("the copy's write went with it").doesNotContain("written");
    }

    @Test
    void pruneRemovesUnnamedContentAndWithAllEveryUnusedImage() throws IOException {
        jrun.succeeds("import", directory.resolve("docker.tar").toString());
        jrun.succeeds("import", directory.resolve("oci.tar").toString(), "localhost/oci-test:1");
        // What an interrupted pull leaves: a verified blob nothing names, and a temporary file.
        String content = "a blob no manifest lists";
        String hex = HexFormat.of().formatHex(sha256(content));
        Files.writeString(storage.resolve("blobs/sha256").resolve(hex), content);
        Files.writeString(storage.resolve("blobs/sha256/.tmp-killed-" + hex), "partial");

        JrunCli.Result prune = jrun.succeeds("image", "prune");

        assertThat(prune.stdoutLines()).containsExactly("Deleted Images:", "deleted: sha256:" + hex, "",
                "deleted leftover: blobs/sha256/.tmp-killed-" + hex,
                "Total reclaimed space: " + (content.length() + "partial".length()) + " B");
        assertThat(jrun.succeeds("images", "-q").stdoutLines())
                .containsExactly("docker.io/cli-test/busybox:docker", "localhost/oci-test:1");

        JrunCli.Result all = jrun.succeeds("image", "prune", "-a");

        assertThat(all.stdoutLines()).startsWith("Deleted Images:", "untagged: docker.io/cli-test/busybox:docker",
                "untagged: localhost/oci-test:1").last().asString().matches("Total reclaimed space: [0-9.]+ [kM]B");
        assertThat(jrun.succeeds("images", "-q").stdout()).isEmpty();
        assertThat(storageEntries("layers")).isEmpty();
        assertThat(storageEntries("blobs/sha256")).isEmpty();
    }

    /** {@return the type of the filesystem mounted at / in a mountinfo text} */
    private static String rootFilesystemType(String mountinfo) {
        return mountinfo.lines().map(line -> line.split(" "))
                .filter(fields -> fields.length > 4 && fields[4].equals("/"))
                .map(fields -> fields[List.of(fields).indexOf("-") + 1])
                .reduce((first, last) -> last).orElseThrow(() -> new AssertionError("no / in " + mountinfo));
    }

    private static byte[] sha256(String content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Path> storageEntries(String directoryName) {
        try (Stream<Path> entries = Files.list(storage.resolve(directoryName))) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
