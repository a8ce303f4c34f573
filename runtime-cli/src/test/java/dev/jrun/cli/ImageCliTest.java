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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jrun import}, {@code images}, {@code run IMAGE} and {@code rmi} on a busybox image that a
 * shell script writes with the system's tar and sha256sum, as a docker-archive and an OCI archive,
 * in an image store given by {@code JRUN_STORAGE}.
 */
class ImageCliTest {

    /** Writes $1/docker.tar and $1/oci.tar holding one busybox layer whose Cmd is "echo from the Cmd". */
    static final String BUILD = """
            set -eu
            cd "$1"
            mkdir -p rootfs/bin rootfs/proc rootfs/dev rootfs/sys rootfs/tmp rootfs/etc docker oci/blobs/sha256
            cp /bin/busybox rootfs/bin/busybox
            for applet in sh echo cat; do ln -s busybox rootfs/bin/$applet; done
            tar -C rootfs -cf layer.tar .
            layer=$(sha256sum layer.tar | cut -d' ' -f1)
            size() { stat -c %s "$1"; }
            printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":["echo","from the Cmd"]},\
            "rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$layer" > config.json
            config=$(sha256sum config.json | cut -d' ' -f1)
            mkdir docker/$layer && cp layer.tar docker/$layer/layer.tar && cp config.json docker/$config.json
            printf '[{"Config":"%s.json","RepoTags":["cli-test/busybox:docker"],"Layers":["%s/layer.tar"]}]' \
                "$config" "$layer" > docker/manifest.json
            tar -C docker -cf docker.tar .
            cp layer.tar oci/blobs/sha256/$layer && cp config.json oci/blobs/sha256/$config
            printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
                "$config" "$(size config.json)" "$layer" "$(size layer.tar)" > manifest.json
            manifest=$(sha256sum manifest.json | cut -d' ' -f1)
            cp manifest.json oci/blobs/sha256/$manifest
            printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "digest":"sha256:%s","size":%s}]}' "$manifest" "$(size manifest.json)" > oci/index.json
            echo '{"imageLayoutVersion":"1.0.0"}' > oci/oci-layout
            tar -C oci -cf oci.tar .
            """;

    @TempDir
    Path directory;
    private Path storage;
    private JrunCli jrun;

    @BeforeEach
    void buildImages() throws Exception {
        HostSystem.assumeRoot("mounts an overlay root and starts containers");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox: install busybox-static");
        Process build = new ProcessBuilder("sh", "-c", BUILD, "build", directory.toString())
                .redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes());
        assertThat(build.waitFor()).as(output).isZero();
        storage = directory.resolve("storage");
        jrun = new JrunCli(List.of("env", "JRUN_STORAGE=" + storage), JrunCli.asThisUser().classpath());
    }

    @AfterEach
    void noContainerRootIsLeft() throws IOException {
        if (storage != null && Files.isDirectory(storage.resolve("containers"))) {
            try (Stream<Path> roots = Files.list(storage.resolve("containers"))) {
                assertThat(roots).isEmpty();
            }
        }
        assertThat(HostSystem.mountPoints()).noneMatch(point -> point.startsWith(directory.toString()));
    }

    private JrunCli.Result succeeds(String... args) {
        JrunCli.Result result = jrun.run(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.stderr()).isZero();
        return result;
    }

    @Test
    void aDockerArchiveIsImportedListedRunAndRemoved() {
        assertThat(succeeds("import", directory.resolve("docker.tar").toString()).stdout())
                .startsWith("docker.io/cli-test/busybox:docker sha256:");
        assertThat(succeeds("images").stdoutLines()).hasSize(2).last().asString()
                .startsWith("docker.io/cli-test/busybox  docker");

        assertThat(succeeds("run", "--rm", "cli-test/busybox:docker").stdout()).isEqualTo("from the Cmd\n");
        assertThat(succeeds("run", "cli-test/busybox:docker", "sh", "-c", "echo $0 in the image", "sh").stdout())
                .isEqualTo("sh in the image\n");

        succeeds("rmi", "cli-test/busybox:docker");
        assertThat(succeeds("images").stdoutLines()).hasSize(1);
        assertThat(jrun.run("rmi", "cli-test/busybox:docker").stderr()).contains("no image cli-test/busybox:docker");
        assertThat(storageEntries("layers")).isEmpty();
    }

    @Test
    void anOciArchiveIsImportedUnderTheGivenNameAndGivesItsExitCode() {
        succeeds("import", directory.resolve("oci.tar").toString(), "localhost/oci-test:1");

        JrunCli.Result run = jrun.run("run", "localhost/oci-test:1", "sh", "-c", "exit 7");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(7);
    }

    @Test
    void aCommandAfterDashDashIsTheSandboxEvenWhenAnImageHasItsName() {
        succeeds("import", directory.resolve("oci.tar").toString(), "echo");

        assertThat(succeeds("run", "--", "echo", "from the host").stdout()).isEqualTo("from the host\n");
        assertThat(succeeds("run", "echo").stdout()).as("the image echo, its Cmd").isEqualTo("from the Cmd\n");
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
