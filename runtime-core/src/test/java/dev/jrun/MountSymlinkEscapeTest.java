package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.SystemCallException;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.HostSnapshot;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attacks of a container that controls a volume: symlinks planted in it, nested volumes and a
 * symlink swapped in while the container starts must never lead a mount or a new file onto the
 * host. Every test checks the host directory the symlinks point at afterwards, and that the JVM
 * kept no mount, descriptor or child.
 */
class MountSymlinkEscapeTest {

    private static final int RACE_ROUNDS = 200;

    @TempDir
    Path directory;
    /** The host directory the attacker aims at: it must stay empty. */
    @TempDir
    Path hostTarget;
    private Path rootfs;
    private Path volume;
    private HostSnapshot before;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @BeforeEach
    void setUp() throws IOException {
        rootfs = BusyboxRootfs.create(directory.resolve("rootfs"));
        volume = Files.createDirectory(directory.resolve("volume"));
        before = HostSnapshot.capture();
    }

    /** {@return the symlink targets that lead to {@code hostPath} from the stub's scratch root or the host's root} */
    private static List<String> pathsOnTheHost(Path hostPath) {
        return List.of("/oldroot" + hostPath, "../../../../../../../../oldroot" + hostPath, hostPath.toString());
    }

    @ParameterizedTest(name = "a -> {0}")
    @ValueSource(ints = {0, 1, 2})
    void mountsUnderAVolumesSymlinkStayInsideTheRoot(int variant) throws IOException {
        String link = pathsOnTheHost(hostTarget).get(variant);
        Files.createSymbolicLink(volume.resolve("a"), Path.of(link));
        Path file = Files.writeString(directory.resolve("file"), "volume file");

        Container container = Container.builder().command("sh", "-c", ":")
                .filesystem(FilesystemSetup.rootfs(rootfs)
                        .withBind(volume, "/vol", FilesystemSetup.Access.READ_WRITE)
                        .withTmpfs("/vol/a/sub")
                        .withBind(file, "/vol/a/file", FilesystemSetup.Access.READ_ONLY))
                .build();

        assertThatThrownBy(container::start).as("inside the root, %s leads nowhere", link)
                .isInstanceOf(SystemCallException.class)
                .hasMessage("open directory /vol/a in the container's root: ENOENT (No such file or directory)");
        assertHostUntouched();
    }

    @Test
    void aSymlinkToADirectoryOfTheRootIsFollowedInsideTheRoot() throws IOException {
        Files.createSymbolicLink(volume.resolve("a"), Path.of("/etc"));

        ContainerRun run = ContainerRun.run(Container.builder().command("ls", "-d", "/etc/sub")
                .filesystem(FilesystemSetup.rootfs(rootfs)
                        .withBind(volume, "/vol", FilesystemSetup.Access.READ_WRITE)
                        .withTmpfs("/vol/a/sub")));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout()).isEqualTo("/etc/sub\n");
        assertThat(rootfs.resolve("etc/sub")).isDirectory();
        assertHostUntouched();
    }

    @Test
    void anInnerVolumeCannotLandOnTheHostsDev() throws IOException {
        Path secret = Files.writeString(hostTarget.resolve("secret"), "secret");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(volume.resolve("a"), Path.of("/oldroot/dev"));
        Path inner = Files.createDirectory(directory.resolve("inner"));
        Files.createSymbolicLink(inner.resolve("random"), secret);

        Container container = Container.builder()
                .command("sh", "-c", "echo PWNED > /dev/random")
                .filesystem(FilesystemSetup.rootfs(rootfs)
                        .withBind(volume, "/vol", FilesystemSetup.Access.READ_WRITE)
                        .withBind(inner, "/vol/a", FilesystemSetup.Access.READ_WRITE))
                .build();

        assertThatThrownBy(container::start).isInstanceOf(SystemCallException.class)
                .hasMessage("open /vol/a in the container's root: ENOENT (No such file or directory)");
        assertThat(secret).hasContent("secret");
        assertHostUntouched();
    }

    /**
     * While containers start, a thread on the host keeps exchanging a directory of the volume
     * with a symlink to the host directory (RENAME_EXCHANGE, as runc's CVE-2024-45310 exploit
     * does). Each launch finds either the directory or the symlink, resolved inside the root.
     */
    @Test
    void aSymlinkSwappedInDuringTheLaunchNeverLeadsOntoTheHost() throws Exception {
        Files.createDirectory(volume.resolve("d"));
        Files.createSymbolicLink(volume.resolve("s"), Path.of("/oldroot" + hostTarget));
        Path file = Files.writeString(directory.resolve("file"), "volume file");
        Container container = Container.builder().command("sh", "-c", ":")
                .filesystem(FilesystemSetup.rootfs(rootfs)
                        .withBind(volume, "/vol", FilesystemSetup.Access.READ_WRITE)
                        .withTmpfs("/vol/d/sub")
                        .withBind(file, "/vol/d/file", FilesystemSetup.Access.READ_ONLY))
                .build();
        AtomicBoolean racing = new AtomicBoolean(true);
        Thread racer = Thread.ofPlatform().start(() -> exchangeUntilStopped(volume.resolve("d"), volume.resolve("s"), racing));
        int started = 0;
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                try (ContainerProcess process = container.start()) {
                    process.waitFor();
                    started++;
                } catch (SystemCallException expected) {
                    assertThat(expected.getMessage()).contains("in the container's root: ENO");
                }
                assertThat(entries(hostTarget)).as("round %d", round).isEmpty();
            }
        } finally {
            racing.set(false);
            racer.join();
        }
        assertThat(started).as("launches that found the directory").isPositive();
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

    private void assertHostUntouched() {
        assertThat(entries(hostTarget)).filteredOn(name -> !name.equals("secret")).isEmpty();
        assertThat(HostSnapshot.capture()).isEqualTo(before);
    }

    private static List<String> entries(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
