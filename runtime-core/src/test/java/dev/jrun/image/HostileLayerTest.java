package dev.jrun.image;

import dev.jrun.ImageStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Layers whose entries try to leave the layer are refused, naming the layer and the entry, with
 * nothing written outside the store and nothing of the layer kept in it.
 */
class HostileLayerTest {

    @TempDir
    Path directory;
    private Path outside;
    private ImageStore store;

    @BeforeEach
    void setUp() throws IOException {
        outside = Files.createDirectory(directory.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "host file");
        store = ImageStore.at(directory.resolve("store"));
    }

    /** Imports an image of one layer and expects it refused for {@code entry}, the store left clean. */
    private void assertRefused(TestLayer layer, String entry, String why) throws IOException {
        byte[] gzipped = layer.tarGz();
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/hostile:1", TestImages.process(List.of("sh")), List.of(gzipped));

        assertThatThrownBy(() -> store.importImage(layout, Optional.empty()))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("layer " + TestImages.sha256(gzipped))
                .hasMessageContaining("\"" + entry + "\"")
                .hasMessageContaining(why);

        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
        assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("host file");
        assertThat(Files.getAttribute(outside.resolve("secret"), "unix:nlink")).isEqualTo(1);
        try (Stream<Path> layers = Files.list(store.directory().resolve("layers"))) {
            assertThat(layers).as("no layer, finished or not, is kept").isEmpty();
        }
        assertThat(store.images()).isEmpty();
    }

    @Test
    void anAbsolutePathIsRefused() throws IOException {
        String name = outside.resolve("escaped").toString();
        assertRefused(new TestLayer().file(name, "x"), name, "absolute path");
    }

    @Test
    void dotDotIsRefused() throws IOException {
        String name = "etc/../../../../outside/escaped";
        assertRefused(new TestLayer().directory("etc", 0755).file(name, "x"), name, "\"..\"");
    }

    @Test
    void writingThroughAnAbsoluteSymlinkIsRefused() throws IOException {
        assertRefused(new TestLayer().symlink("evil", outside.toString()).file("evil/escaped", "x"),
                "evil/escaped", "symbolic link \"evil\"");
    }

    @Test
    void writingThroughARelativeSymlinkIsRefused() throws IOException {
        assertRefused(new TestLayer().directory("a", 0755).symlink("a/up", "../../../../outside")
                        .directory("a/up/sub", 0755),
                "a/up/sub/", "symbolic link \"a/up\"");
    }

    @Test
    void aHardLinkOutOfTheLayerIsRefused() throws IOException {
        assertRefused(new TestLayer().hardLink("link", "../../../outside/secret"), "link", "\"..\"");
    }

    @Test
    void anAbsoluteHardLinkIsRefused() throws IOException {
        String target = outside.resolve("secret").toString();
        assertRefused(new TestLayer().hardLink("link", target), "link", "absolute path");
    }

    @Test
    void aHardLinkThroughASymlinkIsRefused() throws IOException {
        assertRefused(new TestLayer().symlink("s", outside.toString()).hardLink("h", "s/secret"),
                "h", "symbolic link \"s\"");
    }

    @Test
    void symlinksPointingAnywhereAreKeptAsLinks() throws IOException {
        // A link may point anywhere: in a container it resolves inside the container's root.
        byte[] gzipped = new TestLayer().symlink("host", outside.toString()).symlink("up", "../../..").tarGz();
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/links:1", TestImages.process(List.of("sh")), List.of(gzipped));

        Image image = store.importImage(layout, Optional.empty());

        Path layer = store.directory().resolve("layers").resolve(image.layers().getFirst().substring("sha256:".length()));
        assertThat(Files.readSymbolicLink(layer.resolve("host"))).isEqualTo(outside);
        assertThat(Files.readSymbolicLink(layer.resolve("up"))).isEqualTo(Path.of("../../.."));
    }
}
