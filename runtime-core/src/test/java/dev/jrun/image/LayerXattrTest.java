package dev.jrun.image;

import dev.jrun.ImageStore;
import dev.jrun.internal.sys.LayerSyscalls;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The extended attributes of a layer's entries (PAX {@code SCHILY.xattr.*}, raw bytes as Go's and
 * GNU tar write them, and libarchive's base64 {@code LIBARCHIVE.xattr.*}) are kept on the unpacked
 * files; one the store's filesystem refuses is left out with a warning, not a failed import.
 */
class LayerXattrTest {

    /**
     * {@code setcap cap_setuid,cap_net_raw+ep}: VFS_CAP_REVISION_2 with the effective flag, then the
     * permitted bits 7 and 13 (byte 0x80 is not UTF-8 on its own), then zeros.
     */
    private static final byte[] SETUID_AND_NET_RAW = {
        0x01, 0x00, 0x00, 0x02, (byte) 0x80, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    @TempDir
    Path directory;

    private final List<String> warnings = new ArrayList<>();

    private static TestLayer layerWithXattrs() {
        return new TestLayer().directory("bin/", 0755)
                .file("bin/ping", "not really ping".getBytes(StandardCharsets.UTF_8), 0755).ownedBy(0, 0)
                .paxRecord("SCHILY.xattr.security.capability", SETUID_AND_NET_RAW)
                .paxRecord("SCHILY.xattr.user.origin", "go".getBytes(StandardCharsets.UTF_8))
                .directory("etc/", 0755)
                .paxRecord("SCHILY.xattr.user.directory", "yes".getBytes(StandardCharsets.UTF_8))
                .file("etc/data", "data")
                .paxRecord("LIBARCHIVE.xattr.user.with%3Dsign",
                        Base64.getEncoder().withoutPadding().encode("bsdtar".getBytes(StandardCharsets.UTF_8)))
                .paxRecord("SCHILY.xattr.trusted.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8));
    }

    /** Imports an image of {@code layer} into a store in {@code storeDirectory}; {@return the unpacked layer} */
    private Path imported(TestLayer layer, Path storeDirectory) {
        byte[] gzipped = layer.tarGz();
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/xattrs:1", TestImages.process(List.of("sh")), List.of(gzipped));
        ImageStore.at(storeDirectory).withWarnings(warnings::add).importImage(layout, Optional.empty());
        return storeDirectory.resolve("layers").resolve(TestImages.sha256(gzipped).substring("sha256:".length()));
    }

    @Test
    void fileCapabilitiesAndOtherAttributesAreKeptByteForByte() throws Exception {
        RequiresRoot.assumeRoot("sets security.capability (CAP_SETFCAP) and owners");

        Path layer = imported(layerWithXattrs(), directory.resolve("store"));

        assertThat(LayerSyscalls.xattr(layer.resolve("bin/ping"), "security.capability"))
                .hasValueSatisfying(value -> assertThat(value).containsExactly(SETUID_AND_NET_RAW));
        assertThat(getcap(layer.resolve("bin/ping"))).contains("cap_setuid,cap_net_raw=ep");
        assertThat(userXattr(layer.resolve("bin/ping"), "origin")).isEqualTo("go");
        assertThat(userXattr(layer.resolve("etc"), "directory")).as("a directory's, set last").isEqualTo("yes");
        assertThat(userXattr(layer.resolve("etc/data"), "with=sign")).as("libarchive's").isEqualTo("bsdtar");
        assertThat(LayerSyscalls.xattr(layer.resolve("etc/data"), "trusted.overlay.opaque"))
                .as("overlayfs's own attribute is the store's to set").isEmpty();
        assertThat(warnings).singleElement().asString()
                .contains("\"etc/data\"", "trusted.overlay.opaque left out", "overlayfs's own attribute");
    }

    @Test
    void attributesTheStoresFilesystemRefusesAreLeftOutWithAWarning() throws Exception {
        RequiresRoot.assumeRoot("mounts a ramfs, which takes no extended attributes, for the store");
        Path store = Files.createDirectory(directory.resolve("ramfs"));
        run("mount", "-t", "ramfs", "jrun-test", store.toString());
        try {
            Path layer = imported(layerWithXattrs(), store);

            assertThat(layer.resolve("bin/ping")).hasContent("not really ping");
            assertThat(warnings).anySatisfy(warning -> assertThat(warning)
                    .contains("\"bin/ping\"", "security.capability left out", "EOPNOTSUPP"));
            assertThat(warnings).anySatisfy(warning -> assertThat(warning)
                    .contains("\"etc/\"", "user.directory left out", "EOPNOTSUPP"));
            assertThat(warnings).hasSize(5);
        } finally {
            run("umount", store.toString());
        }
    }

    private static String userXattr(Path path, String name) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
        ByteBuffer value = ByteBuffer.allocate(view.size(name));
        view.read(name, value);
        return new String(value.array(), 0, value.position(), StandardCharsets.UTF_8);
    }

    /** {@return what libcap's getcap says of {@code file}} */
    private static String getcap(Path file) throws Exception {
        Path getcap = Path.of("/usr/sbin/getcap");
        assumeTrue(Files.isExecutable(getcap), "needs /usr/sbin/getcap: install Debian's libcap2-bin");
        return run(getcap.toString(), file.toString());
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }
}
