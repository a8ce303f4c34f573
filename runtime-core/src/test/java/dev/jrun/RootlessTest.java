package dev.jrun;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.jrun.Runs.assumeRoot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rootless containers: a JVM running as the unprivileged user nobody (65534),
 * started here with {@code setpriv}, runs a container in which it is root.
 */
class RootlessTest {

    private static final String NOBODY = "65534";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Path SUBUID = Path.of("/etc/subuid");
    private static final Path SUBGID = Path.of("/etc/subgid");

    @TempDir
    Path classes;

    @BeforeEach
    void needsRootToBecomeNobody() throws IOException {
        assumeRoot("switching to the unprivileged user that runs jrun (setpriv)");
        assumeTrue(Files.isExecutable(SETPRIV), "needs setpriv (util-linux) to run a JVM as nobody");
        copyClassPathReadableByAll();
    }

    @Test
    void theUserIsRootInsideAndNobodyOnTheHost() throws Exception {
        String output = runAsNobody("id; cat /proc/self/uid_map; cat /etc/shadow || echo shadow-denied");
        assertThat(output.replaceAll(" +", " ")).contains(
                "uid=0(root) gid=0(root)", "\n 0 65534 1\n", "Permission denied", "shadow-denied",
                "host Uid:\t65534\t65534\t65534\t65534");
        assertThat(output).contains("cgroup none: ", "jrun runs as uid 65534").doesNotContain("Exception");
    }

    @Test
    void subordinateIdsAreMappedThroughNewuidmap() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/newuidmap")), "needs newuidmap (Debian package uidmap)");
        byte[] subuid = Files.exists(SUBUID) ? Files.readAllBytes(SUBUID) : null;
        byte[] subgid = Files.exists(SUBGID) ? Files.readAllBytes(SUBGID) : null;
        String range = NOBODY + ":300000:65536\n";
        try {
            Files.writeString(SUBUID, (subuid == null ? "" : new String(subuid, StandardCharsets.UTF_8)) + range);
            Files.writeString(SUBGID, (subgid == null ? "" : new String(subgid, StandardCharsets.UTF_8)) + range);
            String output = runAsNobody("cat /proc/self/uid_map; touch /tmp/f && chown 1000:1000 /tmp/f && stat -c %u:%g /tmp/f");
            assertThat(output.replaceAll(" +", " ")).contains(" 0 65534 1\n 1 300000 65536\n", "1000:1000\n");
        } finally {
            restore(SUBUID, subuid);
            restore(SUBGID, subgid);
        }
    }

    private String runAsNobody(String script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED", "-cp", classPath(), RootlessProbe.class.getName(),
                "sh", "-c", script));
        Process process = new ProcessBuilder(command).directory(classes.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    /** The test's class directories and jrun jars, copied where nobody can read them. */
    private void copyClassPathReadableByAll() throws IOException {
        Files.setPosixFilePermissions(classes, PosixFilePermissions.fromString("rwxr-xr-x"));
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (Files.isDirectory(source) || source.getFileName().toString().startsWith("jrun-")) {
                copyTree(source, classes.resolve(Integer.toString(n++)).resolve(source.getFileName()));
            }
        }
    }

    private String classPath() throws IOException {
        try (Stream<Path> entries = Files.list(classes)) {
            return String.join(File.pathSeparator, entries.map(dir -> only(dir).toString()).toList());
        }
    }

    private static Path only(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path path : tree.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                Files.createDirectories(copy.getParent());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(Files.isDirectory(copy) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        for (Path dir = target; !dir.equals(target.getRoot()) && dir.startsWith(target.getParent().getParent()); dir = dir.getParent()) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void restore(Path file, byte[] content) throws IOException {
        if (content == null) {
            Files.deleteIfExists(file);
        } else {
            Files.write(file, content);
        }
    }
}
