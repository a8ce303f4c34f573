package dev.jrun.model;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Java's view of an overlay root before the container mounts it: what overlayfs will show, found in the layers. */
class RootOverlayTest {

    @TempDir
    Path directory;
    private Path bottom;
    private Path top;
    private Path upper;
    private RootOverlay overlay;

    @BeforeEach
    void layers() throws IOException {
        bottom = Files.createDirectories(directory.resolve("bottom"));
        top = Files.createDirectories(directory.resolve("top"));
        upper = Files.createDirectories(directory.resolve("upper"));
        overlay = new RootOverlay(List.of(top, bottom), upper, Files.createDirectories(directory.resolve("work")));
        Files.createDirectories(bottom.resolve("etc"));
        Files.writeString(bottom.resolve("etc/passwd"), "bottom");
        Files.writeString(bottom.resolve("etc/group"), "bottom");
    }

    @Test
    void theHighestLayerWithTheFileShowsIt() throws IOException {
        Files.createDirectories(top.resolve("etc"));
        Files.writeString(top.resolve("etc/passwd"), "top");

        assertThat(overlay.find("/etc/passwd")).contains(top.resolve("etc/passwd"));
        assertThat(overlay.find("/etc/group")).contains(bottom.resolve("etc/group"));
        assertThat(overlay.find("/etc")).contains(top.resolve("etc"));
        assertThat(overlay.find("/")).contains(upper);
        assertThat(overlay.find("/missing")).isEmpty();
    }

    @Test
    void aWhiteoutHidesTheFileBelow() throws IOException {
        Files.createDirectories(top.resolve("etc"));
        whiteout(top.resolve("etc/passwd"));

        assertThat(overlay.find("/etc/passwd")).isEmpty();
        assertThat(overlay.find("/etc/group")).contains(bottom.resolve("etc/group"));
    }

    @Test
    void anOpaqueDirectoryHidesWhatIsBelowItButNotItself() throws IOException {
        Path etc = Files.createDirectories(top.resolve("etc"));
        Files.getFileAttributeView(etc, UserDefinedFileAttributeView.class)
                .write("overlay.opaque", ByteBuffer.wrap("y".getBytes(StandardCharsets.US_ASCII)));
        Files.writeString(etc.resolve("hosts"), "top");

        assertThat(overlay.find("/etc/passwd")).isEmpty();
        assertThat(overlay.find("/etc/hosts")).contains(etc.resolve("hosts"));
        assertThat(overlay.find("/etc")).contains(etc);
    }

    @Test
    void aFileOverADirectoryHidesTheDirectorysContent() throws IOException {
        Files.writeString(top.resolve("etc"), "a file");

        assertThat(overlay.find("/etc/passwd")).isEmpty();
        assertThat(overlay.find("/etc")).contains(top.resolve("etc"));
    }

    @Test
    void theUpperDirectoryComesFirst() throws IOException {
        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/passwd"), "written");

        assertThat(overlay.find("/etc/passwd")).contains(upper.resolve("etc/passwd"));
    }

    @Test
    void itsMountOptionsNameTheLayersTopFirstAndUserxattr() {
        assertThat(overlay.mountOptions()).isEqualTo("lowerdir=" + top + ":" + bottom + ",upperdir=" + upper
                + ",workdir=" + directory.resolve("work") + ",userxattr");
    }

    @Test
    void aPathOverlayfsOptionsCannotHoldIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RootOverlay(List.of(directory.resolve("a:b")), upper,
                upper)).withMessageContaining("a:b must be absolute and hold no ',', ':'");
        assertThatIllegalArgumentException().isThrownBy(() -> new RootOverlay(List.of(), upper, upper))
                .withMessage("an overlay root needs at least one lower directory");
    }

    /** A 0/0 character device, which any user may create since Linux 5.8. */
    private static void whiteout(Path path) throws IOException {
        Process mknod = new ProcessBuilder("mknod", path.toString(), "c", "0", "0").inheritIO().start();
        try {
            assertThat(mknod.waitFor()).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
