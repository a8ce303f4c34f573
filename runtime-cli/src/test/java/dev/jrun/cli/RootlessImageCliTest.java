package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An unprivileged user imports a busybox image into its own store ({@code $XDG_DATA_HOME/jrun})
 * and runs it: root in a user namespace that maps that user alone, on an overlay the container
 * mounts itself or on a copy, and nothing left once it ends. jrun runs as a uid of its own, which
 * no other process has, so that any process left behind is seen.
 */
class RootlessImageCliTest {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** No user of the host: a uid with no process, no subuid range and no passwd entry. */
    private static final int USER = 64_913;

    @TempDir
    Path directory;
    @TempDir
    Path copies;
    private Path home;
    private JrunCli asUser;

    @BeforeEach
    void importAsAnUnprivilegedUser() throws Exception {
        HostSystem.assumeRoot("only root can switch to another user for jrun");
        assumeTrue(Files.isExecutable(SETPRIV), "needs " + SETPRIV + " (util-linux) to drop to an unprivileged user");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        BusyboxImageArchives.writeTo(directory);
        home = Files.createDirectory(directory.resolve("home"));
        Files.setAttribute(home, "unix:uid", USER);
        Files.setAttribute(home, "unix:gid", USER);
        asUser = new JrunCli(List.of(SETPRIV.toString(), "--reuid=" + USER, "--regid=" + USER, "--clear-groups",
                "env", "HOME=" + home, "XDG_DATA_HOME=" + home.resolve("data"), "XDG_RUNTIME_DIR=" + home),
                ReadableClasspath.copyInto(copies));
        asUser.succeeds("import", directory.resolve("oci.tar").toString(), "rootless/busybox");
    }

    @AfterEach
    void nothingIsLeft() throws IOException {
        ImageStorageLeftovers.assertNoneIn(home.resolve("data/jrun"), directory);
        assertThat(processesOf(USER)).isEmpty();
    }

    @ParameterizedTest(name = "--storage-driver {0}")
    @ValueSource(strings = {"overlay", "vfs"})
    void theImageRunsAsRootOfANamespaceThatMapsTheUserAlone(String storage) throws IOException {
        Path store = home.resolve("data/jrun");
        assertThat(Files.getAttribute(store, "unix:uid")).isEqualTo(USER);
        try (Stream<Path> layers = Files.list(store.resolve("layers"))) {
            Path layer = layers.findFirst().orElseThrow();
            assertThat(Files.getAttribute(layer.resolve("bin/busybox"), "unix:uid")).as("unpacked by the user")
                    .isEqualTo(USER);
        }

        JrunCli.Result run = asUser.succeeds("run", "--rm", "--network", "none", "--hostname", "box",
                "--storage-driver", storage, "rootless/busybox",
                "sh", "-c", "id -u; cat /proc/self/uid_map; cat /etc/hostname; echo written > /tmp/x; cat /tmp/x;"
                        + " stat -c %u /bin/busybox;"
                        + " awk '$2 == \"/\" { print $3 }' /proc/mounts");

        List<String> lines = run.stdoutLines();
        assertThat(lines.getFirst()).isEqualTo("0");
        assertThat(lines.get(1).trim().split("\\s+")).containsExactly("0", String.valueOf(USER), "1");
        assertThat(lines.subList(2, lines.size() - 1)).containsExactly("box", "written", "0");
        assertThat(lines.getLast().equals("overlay")).as("the root's filesystem type " + lines.getLast())
                .isEqualTo(storage.equals("overlay"));
    }

    /** {@return the PIDs of the processes whose real uid is {@code uid}} */
    private static List<String> processesOf(int uid) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(path -> realUid(path).equals(String.valueOf(uid)))
                    .map(path -> path.getFileName().toString()).toList();
        }
    }

    private static String realUid(Path process) {
        try {
            return Files.readAllLines(process.resolve("status")).stream().filter(line -> line.startsWith("Uid:"))
                    .map(line -> line.split("\\s+")[1]).findFirst().orElse("");
        } catch (NoSuchFileException e) {
            return "";   // ended meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
