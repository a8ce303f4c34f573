package dev.jrun.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./jrun} launcher with its AOT caches missing, corrupt, stale or valid: the commands that
 * use them ({@code run}, {@code create} and {@code exec} the launch cache, {@code state} and the other
 * short commands the control cache) work the same and say nothing more, on stdout (where the JVM's
 * AOT warnings go by default) or on stderr. The launcher, its JVM options and a jar of this build are
 * laid out in a temporary copy of the checkout, so the real caches are left alone. No root needed.
 */
class LauncherAotCacheTest {

    @TempDir
    Path copy;

    private LauncherCopy launcher;
    private Path target;
    private Path launchCache;
    private Path controlCache;

    @BeforeEach
    void layOutTheLauncher() throws IOException {
        launcher = LauncherCopy.in(copy);
        target = launcher.target();
        launchCache = target.resolve("jrun.aot");
        controlCache = target.resolve("jrun-control.aot");
    }

    @Test
    void withoutACacheJrunWorks() {
        assertThat(launchCache).doesNotExist();
        assertThat(controlCache).doesNotExist();

        assertUnchangedOutput();
    }

    @Test
    void aCorruptCacheIsIgnoredSilently() throws IOException {
        Files.writeString(launchCache, "not an AOT cache\n");
        Files.writeString(controlCache, "not an AOT cache\n");

        assertUnchangedOutput();
    }

    @Test
    void aCacheOfAnotherJarIsIgnoredSilently() throws IOException, InterruptedException {
        trainBoth();
        // A rebuilt jar: the cache records the jar's size and time, so it no longer matches.
        launcher.writeJrunJar();
        Files.setLastModifiedTime(target.resolve("jrun.jar"), FileTime.from(Instant.now().plusSeconds(60)));

        assertUnchangedOutput();
    }

    @Test
    void aValidCacheChangesNoOutput() throws IOException, InterruptedException {
        trainBoth();

        assertUnchangedOutput();
    }

    private void assertUnchangedOutput() {
        JrunCli.Result plan = launch("run", "--dry-run", "--", "true");
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.stdoutLines()).first().asString().contains("close_range(");
        assertThat(plan.stdout()).contains("execve(").doesNotContain("[aot]", "[cds]");
        assertThat(plan.stderr()).isEmpty();

        JrunCli.Result missing = launch("--root", copy.resolve("state").toString(),
                "run", "-b", copy.resolve("absent").toString(), "absent");
        assertThat(missing.exitCode()).isEqualTo(FailureExit.OCI.code());
        assertThat(missing.stdout()).isEmpty();
        assertThat(missing.stderrLines()).singleElement().asString()
                .startsWith("jrun: ").contains("has no config.json");

        JrunCli.Result state = launch("--root", copy.resolve("state").toString(), "state", "absent");
        assertThat(state.exitCode()).isNotZero();
        assertThat(state.stdout()).isEmpty();
        assertThat(state.stderrLines()).singleElement().asString().startsWith("jrun: ").contains("absent");
    }

    private JrunCli.Result launch(String... args) {
        return launcher.launch(Map.of(), args);
    }

    /** Trains each cache on one of its commands with the launcher's options, as the build does on more. */
    private void trainBoth() throws IOException, InterruptedException {
        train(launchCache, "run", "--dry-run", "--", "true");
        train(controlCache, "--root", copy.resolve("state").toString(), "list");
    }

    private void train(Path cache, String... command) throws IOException, InterruptedException {
        List<String> training = new ArrayList<>(List.of(Path.of(LauncherCopy.JAVA_HOME, "bin", "java").toString(),
                "@" + launcher.jvmOptions(), "-XX:AOTCacheOutput=" + cache,
                "-jar", target.resolve("jrun.jar").toString()));
        training.addAll(List.of(command));
        Path log = copy.resolve(cache.getFileName() + ".log");
        Process process = new ProcessBuilder(training).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor()).as("training exit code (see %s)", log).isZero();
        assertThat(cache).isNotEmptyFile();
    }
}
