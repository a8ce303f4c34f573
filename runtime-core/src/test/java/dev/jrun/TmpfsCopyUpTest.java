package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Stdio;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.HostSnapshot;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tmpfs mounted with {@code tmpcopyup} starts with a copy of what the image has at its target,
 * as runc makes it; symlinks in the image, whether planted before the launch or swapped in during
 * it, are copied as links and never lead the copy to read or write the host.
 */
class TmpfsCopyUpTest {

    private static final long IMAGE_TIME = Instant.parse("2001-02-03T04:05:06Z").getEpochSecond();

    @TempDir
    Path directory;
    /** The host directory the planted symlinks point at: its secret must not reach the container. */
    @TempDir
    Path hostTarget;
    private Path rootfs;
    private Path run;
    private HostSnapshot before;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @BeforeEach
    void setUp() throws IOException {
        rootfs = BusyboxRootfs.create(directory.resolve("rootfs"));
        run = Files.createDirectory(rootfs.resolve("run"));
        Files.writeString(hostTarget.resolve("secret"), "SECRET");
        before = HostSnapshot.capture();
    }

    private static FilesystemSetup.Generic copiedTmpfs(String target) {
        return new FilesystemSetup.Generic("tmpfs", "tmpfs", target, List.of("nosuid", "nodev", "tmpcopyup"));
    }

    private ContainerRun runWithCopiedRun(String script) {
        return ContainerRun.run(Container.builder().command("sh", "-c", script)
                .filesystem(FilesystemSetup.rootfs(rootfs).withMount(copiedTmpfs("/run"))));
    }

    @Test
    void theTmpfsHoldsTheImagesFilesWithTheirModesOwnersAndTimes() throws Exception {
        Path config = Files.writeString(run.resolve("config"), "hello\n");
        image(config, "rw-r-----", 1234, 5678);
        Path sub = Files.createDirectory(run.resolve("sub"));
        Path inner = Files.writeString(sub.resolve("inner"), "inner\n");
        image(inner, "rwxr-xr-x", 0, 0);
        setUid(inner);
        image(sub, "rwx--x---", 42, 43);
        Path link = Files.createSymbolicLink(run.resolve("link"), Path.of("config"));
        Files.setAttribute(link, "unix:uid", 7, LinkOption.NOFOLLOW_LINKS);

        ContainerRun result = runWithCopiedRun("""
                busybox stat -c '%n %a %u:%g %Y %F' /run/config /run/sub /run/sub/inner /run/link \
                && busybox readlink /run/link && cat /run/link /run/sub/inner \
                && echo new > /run/written && busybox stat -f -c %T /run""");

        assertThat(result.status()).as(result.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(result.stdoutLines()).containsExactly(
                "/run/config 640 1234:5678 " + IMAGE_TIME + " regular file",
                "/run/sub 710 42:43 " + IMAGE_TIME + " directory",
                "/run/sub/inner 4755 0:0 " + IMAGE_TIME + " regular file",
                "/run/link 777 7:0 " + linkTime(link) + " symbolic link",
                "config",
                "hello",
                "inner",
                "tmpfs");
        assertThat(run.resolve("written")).as("the write went to the tmpfs, not the image").doesNotExist();
        assertThat(HostSnapshot.capture()).isEqualTo(before);
    }

    @Test
    void plantedSymlinksAreCopiedAsLinksAndLeadNowhereOnTheHost() throws IOException {
        List<String> links = List.of(hostTarget.toString(), "/oldroot" + hostTarget,
                "../../../../../../../.." + hostTarget);
        for (int i = 0; i < links.size(); i++) {
            Files.createSymbolicLink(run.resolve("escape" + i), Path.of(links.get(i)));
        }

        ContainerRun result = runWithCopiedRun("""
                for l in /run/escape*; do busybox readlink $l; cat $l/secret; echo PWNED > $l/written; done; \
                cat /run/*/secret; true""");

        assertThat(result.status()).as(result.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(result.stdoutLines()).as("the links, unchanged, and no secret").isEqualTo(links);
        assertHostUntouched();
    }

    @Test
    void aSymlinkedTargetIsResolvedInsideTheRootAndNothingOfTheHostIsCopied() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("data"), hostTarget);

        ContainerRun result = ContainerRun.run(Container.builder().command("ls", "-A", hostTarget.toString())
                .filesystem(FilesystemSetup.rootfs(rootfs).withMount(copiedTmpfs("/data"))));

        assertThat(result.status()).as(result.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(result.stdout()).as("an empty tmpfs, inside the root").isEmpty();
        assertThat(rootfs.resolve(hostTarget.toString().substring(1))).isEmptyDirectory();
        assertHostUntouched();
    }

    /**
     * While containers start, a thread keeps exchanging a directory of the image with a symlink
     * to the host directory (RENAME_EXCHANGE, as runc's CVE-2024-45310 exploit does). A launch
     * copies the directory, copies the link as a link, or fails; it never copies the host's file.
     */
    @Test
    void aSymlinkSwappedInDuringTheLaunchNeverLeadsTheCopyOntoTheHost() throws Exception {
        Path swapped = Files.createDirectory(run.resolve("d"));
        Files.writeString(swapped.resolve("secret"), "image\n");
        Path link = Files.createSymbolicLink(run.resolve("s"), hostTarget);
        Container container = Container.builder().command("sh", "-c", "cat /run/d/secret /run/s/secret; true")
                .filesystem(FilesystemSetup.rootfs(rootfs).withMount(copiedTmpfs("/run")))
                .stdin(Stdio.DISCARD).stdout(Stdio.PIPE).stderr(Stdio.DISCARD).build();
        AtomicBoolean racing = new AtomicBoolean(true);
        Thread racer = Thread.ofPlatform().start(() -> exchangeUntilStopped(swapped, link, racing));
        int copied = 0;
        try {
            for (int round = 0; round < 100; round++) {
                String output;
                try (ContainerProcess process = container.start()) {
                    output = new String(process.stdout().readAllBytes());
                    ContainerRun.waitFor(process, ContainerRun.LIMIT);
                } catch (RuntimeException refused) {
                    continue;
                }
                assertThat(output).as("round %d", round).doesNotContain("SECRET");
                copied += output.contains("image") ? 1 : 0;
            }
        } finally {
            racing.set(false);
            racer.join();
        }
        assertThat(copied).as("launches that copied the directory").isPositive();
        assertHostUntouched();
    }

    private static void exchangeUntilStopped(Path first, Path second, AtomicBoolean racing) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocateFrom(first.toString());
            MemorySegment b = arena.allocateFrom(second.toString());
            while (racing.get()) {
                if (Libc.renameat2(Libc.AT_FDCWD(), a, Libc.AT_FDCWD(), b, Libc.RENAME_EXCHANGE()) != 0) {
                    throw new IllegalStateException("renameat2 failed");
                }
            }
        }
    }

    private void assertHostUntouched() throws IOException {
        try (Stream<Path> entries = Files.list(hostTarget)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
        assertThat(hostTarget.resolve("secret")).hasContent("SECRET");
        assertThat(HostSnapshot.capture()).isEqualTo(before);
    }

    private static void image(Path path, String permissions, int uid, int gid) throws IOException {
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        Files.setLastModifiedTime(path, FileTime.from(Instant.ofEpochSecond(IMAGE_TIME)));
    }

    /** Sets the set-user-ID bit, which NIO's permissions cannot express. */
    private static void setUid(Path path) throws IOException {
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        Files.setAttribute(path, "unix:mode", mode | 04000);
    }

    private static long linkTime(Path link) {
        try {
            Map<String, Object> attributes = Files.readAttributes(link, "unix:lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            return ((FileTime) attributes.get("lastModifiedTime")).toInstant().getEpochSecond();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
