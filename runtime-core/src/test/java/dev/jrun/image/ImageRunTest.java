package dev.jrun.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.ContainerRoot;
import dev.jrun.ImageStore;
import dev.jrun.model.ExitStatus;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.Mountinfo;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images imported from each local source run: a busybox image written by the test as an OCI
 * layout, an OCI archive and a docker-archive, then {@code busybox echo} in a container whose
 * root is an overlay of its layers.
 */
class ImageRunTest {

    @TempDir
    Path directory;
    private ImageStore store;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRoot("unpacks layers with their owners and whiteout devices, mounts overlayfs and"
                + " starts containers");
    }

    @AfterEach
    void nothingStaysMounted() throws IOException {
        assertThat(Mountinfo.mountPoints(Mountinfo.OWN)).noneMatch(point -> point.startsWith(directory.toString()));
        if (store != null) {
            TestImages.assertNoContainerRoots(store);
        }
    }

    private ImageStore store() {
        store = ImageStore.at(directory.resolve("store"));
        return store;
    }

    private static ContainerRun run(ImageStore store, Image image, List<String> arguments) {
        try (ContainerRoot root = store.mountRoot(image)) {
            return ContainerRun.run(root.builder(arguments));
        }
    }

    @Test
    void anOciLayoutDirectoryRuns() {
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/tools/busybox:1.36",
                TestImages.process(List.of("echo", "default")), List.of(TestLayer.busybox().tarGz()));

        Image image = store().importImage(layout, Optional.empty());
        ContainerRun run = run(store, image, List.of("echo", "hello from an OCI layout"));

        assertThat(image.reference().toString()).isEqualTo("example.org/tools/busybox:1.36");
        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout()).isEqualTo("hello from an OCI layout\n");
        assertThat(run(store, image, List.of()).stdout()).as("the image's Cmd").isEqualTo("default\n");
    }

    @Test
    void anOciArchiveRuns() {
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "latest", TestImages.process(List.of("sh")), List.of(TestLayer.busybox().tarGz()));
        Path archive = TestImages.tar(layout, directory.resolve("busybox-oci.tar"));

        Image image = store().importImage(archive, Optional.of("busybox"));
        ContainerRun run = run(store, image, List.of("busybox", "echo", "hello from an OCI archive"));

        assertThat(image.reference().toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(run.stdout()).as(run.stderr()).isEqualTo("hello from an OCI archive\n");
        assertThat(store.find("docker.io/library/busybox")).contains(image);
    }

    @Test
    void anOciArchiveWithAZstdLayerRuns() {
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/busybox:zstd", TestImages.process(List.of("sh")),
                List.of(TestLayer.busybox().tarZst()));
        Path archive = TestImages.tar(layout, directory.resolve("busybox-zstd.tar"));

        Image image = store().importImage(archive, Optional.empty());
        ContainerRun run = run(store, image, List.of("echo", "hello from a zstd layer"));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout()).isEqualTo("hello from a zstd layer\n");
    }

    @Test
    void anEntrypointGivenReplacesTheImagesAndAReadOnlyRootKeepsItsTmpfsWritable() {
        Path layout = directory.resolve("layout");
        ObjectNode process = TestImages.process(List.of("from the Cmd"));
        process.putArray("Entrypoint").add("echo");
        TestImages.ociLayout(layout, "example.org/busybox:entry", process, List.of(TestLayer.busybox().tarGz()));
        Image image = store().importImage(layout, Optional.empty());

        ContainerRun run;
        try (ContainerRoot root = store.mountRoot(image)) {
            run = ContainerRun.run(root.builder(List.of("sh", "-c"), List.of("echo x > /x; echo y > /run/y && cat /run/y"))
                    .filesystem(root.filesystem().withReadOnlyRoot(true).withTmpfs("/run", List.of())));
        }

        assertThat(run(store, image, List.of()).stdout()).as("the image's own").isEqualTo("from the Cmd\n");
        assertThat(run.stdout()).as(run.stderr()).isEqualTo("y\n");
        assertThat(run.stderr()).contains("/x: Read-only file system");
    }

    @Test
    void aDockerArchiveRuns() {
        Path files = directory.resolve("docker");
        TestImages.dockerArchive(files, "busybox:stable", TestImages.process(List.of("sh")),
                List.of(TestLayer.busybox().tar()));
        Path archive = TestImages.tar(files, directory.resolve("busybox-docker.tar"));

        Image image = store().importImage(archive, Optional.empty());
        ContainerRun run = run(store, image, List.of("echo", "hello from a docker-archive"));

        assertThat(image.reference().toString()).isEqualTo("docker.io/library/busybox:stable");
        assertThat(run.stdout()).as(run.stderr()).isEqualTo("hello from a docker-archive\n");
    }

    @Test
    void theImageConfigSetsEntrypointEnvWorkingDirAndUser() throws IOException {
        ObjectNode process = TestImages.process(List.of("-c", "echo $GREETING; pwd; id -u; id -g; echo $@"));
        process.putArray("Entrypoint").add("sh");
        process.putArray("Env").add("PATH=/bin").add("GREETING=hi");
        process.put("WorkingDir", "/srv/app");
        process.put("User", "app");
        TestLayer layer = TestLayer.busybox().directory("srv/app", 0755)
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1234:4321:app:/srv/app:/bin/sh\n");
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/app:1", process, List.of(layer.tarGz()));

        Image image = store().importImage(layout, Optional.empty());
        ContainerRun withCmd = run(store, image, List.of());
        ContainerRun overridden = run(store, image, List.of("-c", "echo overridden"));

        assertThat(withCmd.stdoutLines()).as(withCmd.stderr()).containsExactly("hi", "/srv/app", "1234", "4321", "");
        assertThat(overridden.stdout()).isEqualTo("overridden\n");
    }

    @Test
    void writesGoToTheContainersUpperDirectoryOnly() {
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/bb:1", TestImages.process(List.of("sh")),
                List.of(TestLayer.busybox().file("etc/motd", "from the image\n").tarGz()));
        Image image = store().importImage(layout, Optional.empty());

        ContainerRun writer = run(store, image, List.of("sh", "-c", "echo changed > /etc/motd; cat /etc/motd"));
        ContainerRun reader = run(store, image, List.of("cat", "/etc/motd"));

        assertThat(writer.stdout()).as(writer.stderr()).isEqualTo("changed\n");
        assertThat(reader.stdout()).as("a later container sees the image as it was").isEqualTo("from the image\n");
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesHideLowerLayersEntries() {
        TestLayer lower = TestLayer.busybox().file("etc/gone", "x").file("etc/kept", "x")
                .directory("data", 0755).file("data/old", "x");
        TestLayer upper = new TestLayer().file("etc/.wh.gone", "").directory("data", 0755)
                .file("data/.wh..wh..opq", "").file("data/new", "x");
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/layers:1", TestImages.process(List.of("sh")),
                List.of(lower.tarGz(), upper.tarGz()));
        Image image = store().importImage(layout, Optional.empty());

        ContainerRun run = run(store, image, List.of("sh", "-c", "ls /etc; echo --; ls /data"));

        assertThat(image.layers()).hasSize(2);
        assertThat(run.stdoutLines()).as(run.stderr())
                .containsExactly("hostname", "hosts", "kept", "resolv.conf", "--", "new");   // with jrun's network files
    }

    @Test
    void aMultiPlatformIndexResolvesToThisHostsImage() {
        Path layout = directory.resolve("layout");
        Path blobs = layout.resolve("blobs/sha256");
        ObjectNode amd64 = TestImages.manifest(blobs, TestImages.process(List.of("echo", "amd64 image")),
                List.of(TestLayer.busybox().tarGz()), "amd64");
        byte[] amd64Bytes = TestImages.write(amd64);
        ObjectNode index = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", TestImages.OCI_INDEX);
        ObjectNode arm = index.putArray("manifests").addObject();
        // Only the chosen platform's blobs need to exist: the arm64 manifest is never read.
        TestImages.descriptor(arm, TestImages.OCI_MANIFEST, TestImages.sha256("absent".getBytes()), 6);
        arm.putObject("platform").put("os", "linux").put("architecture", "arm64");
        ObjectNode x86 = ((com.fasterxml.jackson.databind.node.ArrayNode) index.get("manifests")).addObject();
        TestImages.descriptor(x86, TestImages.OCI_MANIFEST, TestImages.blob(blobs, amd64Bytes), amd64Bytes.length);
        x86.putObject("platform").put("os", "linux").put("architecture", "amd64");
        byte[] indexBytes = TestImages.write(index);
        ObjectNode top = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        top.put("schemaVersion", 2);
        ObjectNode entry = top.putArray("manifests").addObject();
        TestImages.descriptor(entry, TestImages.OCI_INDEX, TestImages.blob(blobs, indexBytes), indexBytes.length);
        TestImages.writeLayoutFiles(layout, top);

        Image image = store().importImage(layout, Optional.of("multi"));

        assertThat(image.manifestDigest()).isEqualTo(TestImages.sha256(amd64Bytes));
        assertThat(run(store, image, List.of()).stdout()).isEqualTo("amd64 image\n");
    }

    @Test
    void removingAnImageKeepsTheLayersAnotherImageShares() throws IOException {
        byte[] shared = TestLayer.busybox().tarGz();
        Path first = directory.resolve("first");
        Path second = directory.resolve("second");
        TestImages.ociLayout(first, "example.org/a:1", TestImages.process(List.of("echo", "a")), List.of(shared));
        TestImages.ociLayout(second, "example.org/b:1", TestImages.process(List.of("echo", "b")),
                List.of(shared, new TestLayer().file("b.txt", "b").tarGz()));
        Image a = store().importImage(first, Optional.empty());
        Image b = store.importImage(second, Optional.empty());

        store.remove("example.org/b:1");

        assertThat(store.images()).containsExactly(a);
        assertThat(run(store, a, List.of()).stdout()).isEqualTo("a\n");
        try (Stream<Path> layers = Files.list(store.directory().resolve("layers"))) {
            assertThat(layers.map(p -> "sha256:" + p.getFileName())).containsExactlyElementsOf(a.layers());
        }
        try (Stream<Path> blobs = Files.list(store.directory().resolve("blobs/sha256"))) {
            assertThat(blobs.map(p -> "sha256:" + p.getFileName()))
                    .doesNotContain(b.manifestDigest(), b.id(), b.layers().get(1));
        }
        store.remove("example.org/a:1");
        assertThat(store.images()).isEmpty();
        try (Stream<Path> layers = Files.list(store.directory().resolve("layers"))) {
            assertThat(layers).isEmpty();
        }
    }
}
