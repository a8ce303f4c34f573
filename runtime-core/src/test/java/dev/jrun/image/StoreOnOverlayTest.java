package dev.jrun.image;

import dev.jrun.ImageStore;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An image store on overlayfs (jrun inside a container whose root is an overlay): overlayfs refuses
 * the 0/0 character devices the store's whiteouts are, so importing a layer that deletes a file is
 * refused with a sentence that says so and where to keep the store instead, and leaves no layer.
 */
class StoreOnOverlayTest {

    @TempDir
    Path directory;

    @Test
    void aWhiteoutOnAStoreOnOverlayfsIsRefusedSayingWhyAndLeavesNoLayer() throws Exception {
        RequiresRoot.assumeRoot("mounts an overlayfs for the store");
        Path store = Files.createDirectory(directory.resolve("store"));
        for (String layer : List.of("lower", "upper", "work")) {
            Files.createDirectory(directory.resolve(layer));
        }
        run("mount", "-t", "overlay", "jrun-test", "-o", "lowerdir=" + directory.resolve("lower") + ",upperdir="
                + directory.resolve("upper") + ",workdir=" + directory.resolve("work"), store.toString());
        try {
            byte[] deletes = new TestLayer().directory("etc/", 0755).file("etc/.wh.motd", "").tarGz();
            Path layout = directory.resolve("layout");
            TestImages.ociLayout(layout, "example.org/whiteout:1", TestImages.process(List.of("sh")), List.of(deletes));

            assertThatThrownBy(() -> ImageStore.at(store).importImage(layout, Optional.empty()))
                    .hasMessageContaining("whiteout \"etc/.wh.motd\"")
                    .hasMessageContaining("EPERM")
                    .hasMessageContaining("refuses overlayfs's whiteouts");
            assertThat(unpackedLayers(store)).isEmpty();
        } finally {
            run("umount", store.toString());
        }
    }

    private static List<Path> unpackedLayers(Path store) throws Exception {
        Path layers = store.resolve("layers");
        if (!Files.isDirectory(layers)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(layers)) {
            return entries.toList();
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
