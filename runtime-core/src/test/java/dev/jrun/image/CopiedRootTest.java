package dev.jrun.image;

import dev.jrun.ContainerRoot;
import dev.jrun.ImageStore;
import dev.jrun.internal.sys.LayerSyscalls;
import dev.jrun.model.ExitStatus;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.Mountinfo;
import dev.jrun.testing.RequiresRoot;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container root that is a copy of the image's layers ({@link RootStorage#COPY}, podman's
 * {@code vfs}) rather than an overlay: two layers whose upper one has a whiteout, an opaque
 * directory, a directory where the lower one has a symbolic link leading out of the root, and
 * hard links, over a lower one with symbolic links to {@code /etc/passwd} and {@code ../../..}, a
 * device node, a FIFO and a set-user-ID file of another owner. The copy shows what the overlay
 * shows, the container sees it, its writes stay in the copy, and the copy is gone when it is closed.
 * A store on overlayfs, where no overlay can be mounted, gets a copy without being asked.
 */
class CopiedRootTest {

    private static final Instant OLD = Instant.parse("2001-02-03T04:05:06Z");
    /** Files shorter than this are described with their content, others (busybox) with their size. */
    private static final long SMALL = 64;

    @TempDir
    Path directory;
    private ImageStore store;
    private Image image;
    private Path outside;

    @BeforeEach
    void importTheImage() throws IOException {
        RequiresRoot.assumeRoot("unpacks layers with their owners, device nodes and whiteout devices, copies them"
                + " with their owners, mounts overlayfs to compare and starts containers");
        outside = Files.createDirectory(directory.resolve("outside"));
        TestLayer lower = TestLayer.busybox()
                .directory("data", 0755).modifiedAt(OLD)
                .file("data/gone", "whited out").file("data/kept", "kept\n")
                .directory("data/opaque", 0755).file("data/opaque/old", "hidden")
                .symlink("data/passwd", "/etc/passwd").symlink("data/up", "../../..")
                .symlink("data/escape", outside.toString())
                .directory("data/replaced", 0700).file("data/replaced/inner", "hidden")
                .file("data/file", "one\n").hardLink("data/link", "data/file")
                .device("data/null", TarArchiveEntry.LF_CHR, 1, 3, 0666)
                .device("data/loop", TarArchiveEntry.LF_BLK, 7, 0, 0660).ownedBy(0, 6)
                .device("data/fifo", TarArchiveEntry.LF_FIFO, 0, 0, 0620)
                .file("data/owned", "setuid\n".getBytes(), 04750).ownedBy(1234, 4321).modifiedAt(OLD);
        TestLayer upper = new TestLayer()
                .directory("data", 0751).modifiedAt(OLD.plusSeconds(60))
                .file("data/.wh.gone", "")
                .directory("data/opaque", 0755).file("data/opaque/.wh..wh..opq", "").file("data/opaque/new", "new")
                .directory("data/escape", 0755).file("data/escape/planted", "planted")
                .file("data/replaced", "now a file")
                .file("data/h1", "two\n").hardLink("data/h2", "data/h1");
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/copied:1", TestImages.process(List.of("sh")),
                List.of(lower.tarGz(), upper.tarGz()));
        store = ImageStore.at(directory.resolve("store"));
        image = store.importImage(layout, Optional.empty());
    }

    @AfterEach
    void nothingIsLeft() throws IOException {
        assertThat(Mountinfo.mountPoints(Mountinfo.OWN)).noneMatch(point -> point.startsWith(directory.toString()));
        if (store != null) {
            TestImages.assertNoContainerRoots(store);
        }
        if (outside != null) {
            try (Stream<Path> written = Files.list(outside)) {
                assertThat(written).as("written through the lower layer's link").isEmpty();
            }
        }
    }

    @Test
    void theCopyShowsEveryEntryAsTheOverlayDoes() throws IOException {
        Map<String, String> overlay;
        try (ContainerRoot root = store.mountRoot(image, RootStorage.OVERLAY)) {
            overlay = describe(root.path());
        }
        try (ContainerRoot root = store.mountRoot(image, RootStorage.COPY)) {
            Map<String, String> copy = describe(root.path());

            assertThat(root.storage()).isEqualTo(RootStorage.COPY);
            assertThat(Mountinfo.mountPoints(Mountinfo.OWN)).as("a copy is no mount").doesNotContain(root.path().toString());
            assertThat(copy).isEqualTo(overlay);
            assertThat(copy).doesNotContainKeys("data/gone", "data/opaque/old", "data/replaced/inner")
                    .containsKeys("data/opaque/new", "data/escape/planted", "data/kept");
            assertThat(copy.get("data/escape")).startsWith("directory 755");
            assertThat(copy.get("data/passwd")).startsWith("link 777 0:0").endsWith(" -> /etc/passwd");
            assertThat(copy.get("data/up")).endsWith("-> ../../..");
            assertThat(copy.get("data/null")).startsWith("character device 666 0:0").endsWith("1:3");
            assertThat(copy.get("data/loop")).startsWith("block device 660 0:6").endsWith("7:0");
            assertThat(copy.get("data/fifo")).startsWith("fifo 620");
            assertThat(copy.get("data/owned")).isEqualTo("file 4750 1234:4321 " + OLD + " setuid\n");
            assertThat(copy.get("data")).isEqualTo("directory 751 0:0 " + OLD.plusSeconds(60));
            assertThat(inode(root.path().resolve("data/file"))).isEqualTo(inode(root.path().resolve("data/link")));
            assertThat(inode(root.path().resolve("data/h1"))).isEqualTo(inode(root.path().resolve("data/h2")));
        }
    }

    @Test
    void theContainerSeesTheMergedViewAndItsWritesStayInItsCopy() throws IOException {
        Path lowerLayer = layer(0);
        ContainerRun run;
        try (ContainerRoot root = store.mountRoot(image, RootStorage.COPY)) {
            run = ContainerRun.run(root.builder(List.of("sh", "-c", "cd /data && ls; cat escape/planted; echo;"
                    + " busybox readlink passwd; stat -c '%F %t:%T' null;"
                    + " echo changed > kept; echo more >> link; busybox rm file; busybox chmod 600 owned;"
                    + " echo new > opaque/old;"
                    + " cat kept link; ls opaque")));
        }

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).containsExactly(
                "escape", "fifo", "file", "h1", "h2", "kept", "link", "loop", "null", "opaque", "owned", "passwd",
                "replaced", "up",
                "planted", "/etc/passwd", "character special file 1:3",
                "changed", "one", "more", "new", "old");
        assertThat(Files.readString(lowerLayer.resolve("data/kept"))).as("the store's layer").isEqualTo("kept\n");
        assertThat(Files.readString(lowerLayer.resolve("data/link"))).isEqualTo("one\n");
        assertThat(lowerLayer.resolve("data/file")).exists();
        assertThat(Files.getAttribute(lowerLayer.resolve("data/owned"), "unix:mode")).isEqualTo(0104750);
        assertThat(lowerLayer.resolve("data/opaque/old")).hasContent("hidden");
        try (ContainerRoot again = store.mountRoot(image, RootStorage.COPY)) {
            assertThat(again.path().resolve("data/kept")).as("a later copy").hasContent("kept");
        }
    }

    @Test
    void aLayersExtendedAttributesAreCopiedButNotOverlaysOwn() throws IOException {
        // The unpacker keeps no attribute of a tar: the test gives the stored layer's file one.
        Path stored = layer(0).resolve("data/kept");
        Path upperLayer = layer(1);
        Files.getFileAttributeView(stored, UserDefinedFileAttributeView.class)
                .write("jrun.test", ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));

        try (ContainerRoot root = store.mountRoot(image, RootStorage.COPY)) {
            UserDefinedFileAttributeView copied = Files.getFileAttributeView(root.path().resolve("data/kept"),
                    UserDefinedFileAttributeView.class);
            ByteBuffer value = ByteBuffer.allocate(copied.size("jrun.test"));
            copied.read("jrun.test", value);

            assertThat(new String(value.array(), StandardCharsets.UTF_8)).isEqualTo("kept");
            assertThat(LayerSyscalls.xattrNames(upperLayer.resolve("data/opaque"))).contains("trusted.overlay.opaque");
            assertThat(LayerSyscalls.xattrNames(root.path().resolve("data/opaque")))
                    .noneMatch(name -> name.startsWith("trusted.overlay."));
        }
    }

    @Test
    void withoutAChoiceAStoreOnOverlayfsGetsACopyWhereTheOverlayCannotBeMounted() throws IOException {
        // As in a docker container: overlayfs takes no overlayfs as its upper directory (EINVAL).
        Path lower = Files.createDirectory(directory.resolve("lower"));
        Path upper = Files.createDirectory(directory.resolve("upper"));
        Path work = Files.createDirectory(directory.resolve("work"));
        Path overlayfs = Files.createDirectory(directory.resolve("overlayfs"));
        LayerSyscalls.mountOverlay(overlayfs, "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        try {
            Path layout = directory.resolve("plain");
            TestImages.ociLayout(layout, "example.org/plain:1", TestImages.process(List.of("sh")),
                    List.of(TestLayer.busybox().file("etc/motd", "hello\n").tarGz()));
            ImageStore onOverlayfs = ImageStore.at(overlayfs.resolve("store"));
            Image plain = onOverlayfs.importImage(layout, Optional.empty());

            ContainerRun run;
            try (ContainerRoot root = onOverlayfs.mountRoot(plain)) {
                assertThat(root.storage()).isEqualTo(RootStorage.COPY);
                run = ContainerRun.run(root.builder(List.of("cat", "/etc/motd")));
            }

            assertThat(run.stdout()).as(run.stderr()).isEqualTo("hello\n");
            TestImages.assertNoContainerRoots(onOverlayfs);
        } finally {
            LayerSyscalls.detach(overlayfs);
        }
    }

    /**
     * {@return each entry below {@code root}, by its path: its type, mode, owner, time, and target,
     * device or content} The root itself is left out: it is jrun's own directory, made with the
     * root (an overlay's is its upper directory), no layer's.
     */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.skip(1).toList()) {
                Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid,rdev,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) attributes.get("mode");
                String type = switch (mode & 0170000) {
                    case 0040000 -> "directory";
                    case 0100000 -> "file";
                    case 0120000 -> "link";
                    case 0020000 -> "character device";
                    case 0060000 -> "block device";
                    case 0010000 -> "fifo";
                    default -> "other " + Integer.toOctalString(mode);
                };
                long device = ((Number) attributes.get("rdev")).longValue();
                String described = type + " " + Integer.toOctalString(mode & 07777) + " " + attributes.get("uid") + ":"
                        + attributes.get("gid") + " " + attributes.get("lastModifiedTime") + switch (type) {
                            case "file" -> Files.size(path) < SMALL ? " " + Files.readString(path) : " " + Files.size(path) + " bytes";
                            case "link" -> " -> " + Files.readSymbolicLink(path);
                            case "character device", "block device" -> " " + (device >> 8 & 0xfff) + ":" + (device & 0xff);
                            default -> "";
                        };
                entries.put(root.relativize(path).toString(), described);
            }
        }
        return entries;
    }

    /** {@return the directory of the image's layer {@code index} (0 at the bottom) in the store} */
    private Path layer(int index) {
        return store.directory().resolve("layers").resolve(image.layers().get(index).substring("sha256:".length()));
    }

    private static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }
}
