package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code ./jrun} with the resident helper, as a user meets it: the build's {@code jrun-client}
 * beside a jar of this build in a copy of the checkout; the first short command finds no helper,
 * runs in a JVM of its own and starts one; the next is answered by it with the same output;
 * {@code JRUN_HELPER=off} and {@code run} never use it. The launcher is traced ({@code sh -x}) to
 * see which way each command went. The helper, started with one idle second, leaves by itself.
 */
class LauncherResidentHelperTest {

    private static final Map<String, String> SHORT_IDLE = Map.of("JRUN_HELPER_IDLE_SECONDS", "1");

    @TempDir
    Path copy;

    private LauncherCopy launcher;
    private Path socket;

    @BeforeEach
    void layOutTheLauncherWithItsClient() throws Exception {
        assumeTrue(BusyboxBundle.isRoot(), "the helper's socket directory is under /run: root only");
        launcher = LauncherCopy.in(copy);
        Path jar = launcher.target().resolve("jrun.jar");
        Process writer = new ProcessBuilder(Path.of(LauncherCopy.JAVA_HOME, "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString(), ResidentClientFile.class.getName(),
                launcher.target().resolve("jrun-client").toString()).inheritIO().start();
        assertThat(writer.waitFor()).as("writing jrun-client as the build does").isZero();
        socket = ResidentHelper.socket(jar.toRealPath());
    }

    @AfterEach
    void waitForTheHelperToLeave() throws InterruptedException, IOException {
        if (socket == null) {
            return;
        }
        for (long waited = 0; Files.exists(socket); waited += 100) {
            assertThat(waited).as("ms the idle helper took to leave").isLessThan(TimeUnit.SECONDS.toMillis(60));
            Thread.sleep(100);
        }
        // The lock file a helper leaves beside its socket (for the next one of its jar): this jar is gone.
        Files.deleteIfExists(socket.resolveSibling(socket.getFileName() + ".lock"));
    }

    @Test
    void aShortCommandStartsTheHelperAndTheNextIsAnsweredByItWithTheSameOutput() throws Exception {
        String root = copy.resolve("state").toString();

        Traced first = traced(SHORT_IDLE, "--root", root, "state", "absent");
        assertThat(first.ranInAJvm()).isTrue();
        awaitSocket();
        Traced second = traced(SHORT_IDLE, "--root", root, "state", "absent");

        assertThat(second.ranInAJvm()).as("answered by the helper").isFalse();
        assertThat(second.result().exitCode()).isEqualTo(first.result().exitCode()).isEqualTo(1);
        assertThat(second.result().stdout()).isEqualTo(first.result().stdout()).isEmpty();
        assertThat(second.errors()).isEqualTo(first.errors())
                .singleElement().asString().startsWith("jrun: container \"absent\" does not exist");
    }

    @Test
    void withJrunHelperOffOrForRunTheHelperIsNotUsed() throws Exception {
        traced(SHORT_IDLE, "--version");
        awaitSocket();

        assertThat(traced(Map.of("JRUN_HELPER", "off"), "--version").ranInAJvm()).isTrue();
        Traced run = traced(SHORT_IDLE, "run", "--dry-run", "--", "true");
        assertThat(run.ranInAJvm()).isTrue();
        assertThat(run.result().stdout()).contains("execve(");
    }

    private void awaitSocket() throws InterruptedException {
        for (long waited = 0; !Files.exists(socket); waited += 50) {
            assertThat(waited).as("ms the helper took to listen").isLessThan(TimeUnit.SECONDS.toMillis(60));
            Thread.sleep(50);
        }
    }

    /** A launch and its trace: the launcher's {@code sh -x} lines on stderr, apart from jrun's own. */
    private record Traced(JrunCli.Result result, List<String> trace, List<String> errors) {
        boolean ranInAJvm() {
            return trace.stream().anyMatch(line -> line.startsWith("+ exec ") && line.contains("/bin/java"));
        }
    }

    private Traced traced(Map<String, String> environment, String... args) {
        JrunCli.Result result = launcher.launchTraced(environment, args);
        List<String> lines = result.stderrLines();
        return new Traced(result, lines.stream().filter(line -> line.startsWith("+")).toList(),
                lines.stream().filter(line -> !line.startsWith("+")).toList());
    }
}
