package dev.jrun.image;

import dev.jrun.ContainerRoot;
import dev.jrun.ImageStore;
import dev.jrun.testing.Mountinfo;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ImageStore#prune}: what no name and no container root uses goes, with the leftovers of
 * interrupted writers; named images and the layers of a mounted root stay.
 */
class ImagePruneTest {

    private static final String SHA256 = "sha256:";

    @TempDir
    Path directory;
    private ImageStore store;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRoot("mounts container roots (overlayfs) whose layers prune must keep");
    }

    @AfterEach
    void nothingStaysMounted() {
        assertThat(Mountinfo.mountPoints(Mountinfo.OWN)).noneMatch(point -> point.startsWith(directory.toString()));
    }

    private Image importImage(String name, byte[]... gzippedLayers) {
        return importImage(name, List.of("sh"), gzippedLayers);
    }

    private Image importImage(String name, List<String> cmd, byte[]... gzippedLayers) {
        Path layout = directory.resolve("layout-" + name.replaceAll("[^a-z0-9]", "_"));
        TestImages.ociLayout(layout, name, TestImages.process(cmd), List.of(gzippedLayers));
        return store.importImage(layout, Optional.empty());
    }

    private Path blob(String digest) {
        return store.directory().resolve("blobs/sha256").resolve(digest.substring(SHA256.length()));
    }

    private Path layer(String digest) {
        return store.directory().resolve("layers").resolve(digest.substring(SHA256.length()));
    }

    @Test
    void danglingContentAndLeftoversGoNamedImagesAndAMountedRootsLayersStay() throws IOException {
        store = ImageStore.at(directory.resolve("store"));
        byte[] shared = new TestLayer().file("shared.txt", "shared").tarGz();
        Image kept = importImage("example.org/kept:1", shared);
        Image running = importImage("example.org/running:1", shared, new TestLayer().file("b.txt", "b").tarGz());
        try (ContainerRoot root = store.mountRoot(running)) {
            // rmi keeps the unpacked layers of the mounted root: nothing names them now.
            store.remove("example.org/running:1");
            // What an interrupted pull leaves: a verified blob and an unpacked layer of an image never named.
            byte[] danglingContent = "a blob no manifest lists".getBytes(StandardCharsets.UTF_8);
            String dangling = TestImages.sha256(danglingContent);
            Files.write(blob(dangling), danglingContent);
            Path danglingLayer = Files.createDirectories(layer(dangling).resolve("etc"));
            Files.writeString(danglingLayer.resolve("hostname"), "dangling\n");
            // And what an interrupted import leaves: a temporary blob and scratch directory.
            Path temporaryBlob = Files.writeString(blob(SHA256 + ".tmp-killed-" + "0".repeat(64)), "partial");
            Path scratch = Files.createDirectories(store.directory().resolve("tmp/.tmp-killed-import/blobs"));
            Files.writeString(scratch.resolve("half"), "half an archive");

            long expected = Files.size(blob(dangling)) + "dangling\n".length() + "partial".length()
                    + "half an archive".length();

            PruneResult result = store.prune(false);

            assertThat(result.untagged()).isEmpty();
            assertThat(result.blobs()).containsExactly(dangling);
            assertThat(result.layers()).containsExactly(dangling);
            assertThat(result.leftovers()).containsExactlyInAnyOrder(
                    store.directory().relativize(temporaryBlob).toString(), "tmp/.tmp-killed-import");
            assertThat(result.reclaimedBytes()).isEqualTo(expected);
            assertThat(List.of(blob(dangling), layer(dangling), temporaryBlob, scratch.getParent()))
                    .noneMatch(Files::exists);
            assertThat(store.images()).containsExactly(kept);
            assertThat(kept.layers()).allMatch(digest -> Files.isRegularFile(blob(digest)));
            assertThat(running.layers()).allMatch(digest -> Files.isDirectory(layer(digest)));
            assertThat(Files.readString(root.path().resolve("b.txt"))).isEqualTo("b");
        }
    }

    @Test
    void allRemovesTheImagesNoContainerUsesAndKeepsTheOneARootWasMadeOf() throws IOException {
        store = ImageStore.at(directory.resolve("store"));
        byte[] shared = new TestLayer().file("shared.txt", "shared").tarGz();
        Image running = importImage("example.org/running:1", shared);
        Image unused = importImage("example.org/unused:1", shared, new TestLayer().file("u.txt", "u").tarGz());
        // The same layers with another config: another image, which no container was made from.
        Image twin = importImage("example.org/twin:1", List.of("true"), shared);

        try (ContainerRoot root = store.mountRoot(running)) {
            PruneResult result = store.prune(true);

            assertThat(result.untagged()).containsExactly(twin.reference(), unused.reference());
            assertThat(result.blobs()).containsExactlyInAnyOrder(unused.manifestDigest(), unused.id(),
                    unused.layers().get(1), twin.manifestDigest(), twin.id());
            assertThat(result.layers()).containsExactly(unused.layers().get(1));
            assertThat(store.images()).containsExactly(running);
            assertThat(Files.isDirectory(layer(unused.layers().getFirst()))).isTrue();
            assertThat(Files.readString(root.path().resolve("shared.txt"))).isEqualTo("shared");
        }
        assertThat(store.prune(true).untagged()).containsExactly(running.reference());
        try (Stream<Path> layers = Files.list(store.directory().resolve("layers"));
             Stream<Path> blobs = Files.list(store.directory().resolve("blobs/sha256"))) {
            assertThat(layers).isEmpty();
            assertThat(blobs).isEmpty();
        }
    }
}
