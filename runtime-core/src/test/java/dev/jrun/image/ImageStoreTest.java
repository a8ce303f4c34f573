package dev.jrun.image;

import dev.jrun.ImageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store trusts only verified blobs, survives interrupted imports and concurrent importers. */
class ImageStoreTest {

    @TempDir
    Path directory;

    private Path layout(String name, byte[]... gzippedLayers) {
        Path layout = directory.resolve("layout-" + name.replaceAll("[^a-z0-9]", "_"));
        TestImages.ociLayout(layout, name, TestImages.process(List.of("sh")), List.of(gzippedLayers));
        return layout;
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aBlobWhoseContentIsNotItsDigestIsRefused() throws IOException {
        byte[] layer = new TestLayer().file("a", "content").tarGz();
        Path layout = layout("example.org/corrupt:1", layer);
        Path blob = layout.resolve("blobs/sha256").resolve(TestImages.sha256(layer).substring("sha256:".length()));
        byte[] damaged = Files.readAllBytes(blob);
        damaged[damaged.length / 2] ^= 1;
        Files.write(blob, damaged);
        ImageStore store = ImageStore.at(directory.resolve("store"));

        assertThatThrownBy(() -> store.importImage(layout, Optional.empty()))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("layer " + TestImages.sha256(layer))
                .hasMessageContaining("has digest " + TestImages.sha256(damaged));
        assertThat(store.images()).isEmpty();
        assertThat(names(store.directory().resolve("blobs/sha256")))
                .doesNotContain(TestImages.sha256(layer).substring("sha256:".length()))
                .noneMatch(name -> name.startsWith(".tmp-"));
        assertThat(names(store.directory().resolve("layers"))).isEmpty();
    }

    @Test
    void aTruncatedZstdLayerIsRefusedByZstdAndLeavesNoLayer() throws IOException {
        byte[] layer = zstdLayer();
        byte[] truncated = Arrays.copyOf(layer, layer.length * 2 / 3);

        assertThatThrownBy(() -> importDamaged(layer, truncated))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage("layer " + TestImages.sha256(truncated) + " is not a valid zstd stream: Truncated source");
        assertNothingStored();
    }

    @Test
    void aZstdLayerDamagedInsideIsRefusedByNameAndLeavesNoLayer() throws IOException {
        byte[] layer = zstdLayer();
        byte[] damaged = layer.clone();
        damaged[damaged.length / 2] ^= 0x55;

        // zstd's checksum ends the frame, so the damaged tar header inside may be seen first.
        assertThatThrownBy(() -> importDamaged(layer, damaged))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageStartingWith("layer " + TestImages.sha256(damaged) + " is not a valid ");
        assertNothingStored();
    }

    private static byte[] zstdLayer() {
        return new TestLayer().file("a", "zstd compresses this ".repeat(5_000)).tarZst();
    }

    /** Imports a layout whose layer is {@code damaged}, its digest its own, its diff_id {@code layer}'s. */
    private void importDamaged(byte[] layer, byte[] damaged) {
        Path layout = directory.resolve("layout-zstd");
        TestImages.ociLayout(layout, "example.org/zstd:1", TestImages.process(List.of("sh")), List.of(damaged),
                TestImages.diffIds(List.of(layer)));
        ImageStore.at(directory.resolve("store")).importImage(layout, Optional.empty());
    }

    private void assertNothingStored() throws IOException {
        ImageStore store = ImageStore.at(directory.resolve("store"));
        assertThat(store.images()).isEmpty();
        assertThat(names(store.directory().resolve("layers"))).as("layers, finished or not").isEmpty();
        assertThat(names(store.directory().resolve("blobs/sha256"))).noneMatch(name -> name.startsWith(".tmp-"));
    }

    @Test
    void aTruncatedBlobIsRefusedBySize() throws IOException {
        byte[] layer = new TestLayer().file("a", "content").tarGz();
        Path layout = layout("example.org/short:1", layer);
        Path blob = layout.resolve("blobs/sha256").resolve(TestImages.sha256(layer).substring("sha256:".length()));
        Files.write(blob, Arrays.copyOf(layer, layer.length - 10));

        assertThatThrownBy(() -> ImageStore.at(directory.resolve("store")).importImage(layout, Optional.empty()))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("has " + (layer.length - 10) + " bytes, its descriptor says " + layer.length);
    }

    @Test
    void aStoredBlobDamagedLaterIsRefusedWhenRead() throws IOException {
        ImageStore store = ImageStore.at(directory.resolve("store"));
        Image image = store.importImage(layout("example.org/later:1", new TestLayer().file("a", "x").tarGz()),
                Optional.empty());
        Path config = store.directory().resolve("blobs/sha256").resolve(image.id().substring("sha256:".length()));
        Files.writeString(config, Files.readString(config).replace("linux", "LINUX"));

        assertThatThrownBy(() -> store.find("example.org/later:1"))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("config " + image.id());
    }

    @Test
    void anInterruptedImportThenRepeatedCompletes() throws IOException {
        Path layout = layout("example.org/again:1", new TestLayer().file("etc/hello", "hello").tarGz());
        Path archive = TestImages.tar(layout, directory.resolve("again.tar"));
        byte[] whole = Files.readAllBytes(archive);
        Path truncated = Files.write(directory.resolve("truncated.tar"), Arrays.copyOf(whole, whole.length / 2));
        ImageStore store = ImageStore.at(directory.resolve("store"));

        assertThatThrownBy(() -> store.importImage(truncated, Optional.empty()))
                .isInstanceOf(InvalidImageException.class);
        // What a writer killed mid-way leaves: unfinished temporary names.
        Path blobs = store.directory().resolve("blobs/sha256");
        Path layers = store.directory().resolve("layers");
        Files.writeString(blobs.resolve(".tmp-killed-" + "0".repeat(64)), "partial blob");
        Files.createDirectories(layers.resolve(".tmp-killed-layer").resolve("etc"));
        assertThat(store.images()).isEmpty();

        Image image = store.importImage(archive, Optional.empty());

        assertThat(store.images()).containsExactly(image);
        assertThat(names(blobs)).noneMatch(name -> name.startsWith(".tmp-"));
        assertThat(names(layers)).containsExactly(image.layers().getFirst().substring("sha256:".length()));
        assertThat(Files.readString(layers.resolve(names(layers).getFirst()).resolve("etc/hello"))).isEqualTo("hello");
    }

    @Test
    void twoImportersOfTheSameImageBothSucceed() throws Exception {
        Path archive = TestImages.tar(layout("example.org/race:1", new TestLayer().file("f", "x").tarGz()),
                directory.resolve("race.tar"));
        ImageStore store = ImageStore.at(directory.resolve("store"));
        List<Callable<Image>> importers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            importers.add(() -> ImageStore.at(directory.resolve("store")).importImage(archive, Optional.empty()));
        }
        List<Image> imported = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            for (Future<Image> result : threads.invokeAll(importers)) {
                imported.add(result.get());
            }
        }

        assertThat(imported).allMatch(imported.getFirst()::equals);
        assertThat(store.images()).containsExactly(imported.getFirst());
    }

    @Test
    void aSourceThatIsNoImageIsRefusedByName() throws IOException {
        Path empty = Files.createDirectory(directory.resolve("empty"));
        assertThatThrownBy(() -> ImageStore.at(directory.resolve("store")).importImage(empty, Optional.of("x")))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("neither an OCI image layout (no index.json) nor a docker-archive");
    }

    @Test
    void removingAnUnknownImageSaysSo() {
        assertThatThrownBy(() -> ImageStore.at(directory.resolve("store")).remove("nothing:here"))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessageContaining("nothing:here");
    }
}
