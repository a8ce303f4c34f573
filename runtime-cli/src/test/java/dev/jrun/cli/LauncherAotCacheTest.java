package dev.jrun.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./jrun} launcher with its AOT caches missing, corrupt, stale or valid: the commands that
 * use them ({@code run}, {@code create} and {@code exec} the launch cache, {@code state} and the other
 * short commands the control cache) work the same and say nothing more, on stdout (where the JVM's
 * AOT warnings go by default) or on stderr. The launcher, its JVM options and a jar of this build are
 * laid out in a temporary copy of the checkout, so the real caches are left alone. No root needed.
 */
class LauncherAotCacheTest {

    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
    private static final String JAVA_HOME = System.getProperty("java.home");

    @TempDir
    Path copy;

    private Path target;
    private Path launchCache;
    private Path controlCache;

    @BeforeEach
    void layOutTheLauncher() throws IOException {
        target = Files.createDirectories(copy.resolve("runtime-cli/target"));
        launchCache = target.resolve("jrun.aot");
        controlCache = target.resolve("jrun-control.aot");
        Files.copy(CHECKOUT.resolve("jrun"), copy.resolve("jrun"));
        Files.copy(CHECKOUT.resolve("runtime-cli/jvm.options"), copy.resolve("runtime-cli/jvm.options"));
        writeJrunJar();
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
        writeJrunJar();
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
        List<String> command = new ArrayList<>(List.of("sh", copy.resolve("jrun").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", JAVA_HOME);
        try {
            return JrunCli.finish(builder.start(), JrunCli.LIMIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains each cache on one of its commands with the launcher's options, as the build does on more. */
    private void trainBoth() throws IOException, InterruptedException {
        train(launchCache, "run", "--dry-run", "--", "true");
        train(controlCache, "--root", copy.resolve("state").toString(), "list");
    }

    private void train(Path cache, String... command) throws IOException, InterruptedException {
        List<String> training = new ArrayList<>(List.of(Path.of(JAVA_HOME, "bin", "java").toString(),
                "@" + copy.resolve("runtime-cli/jvm.options"), "-XX:AOTCacheOutput=" + cache,
                "-jar", target.resolve("jrun.jar").toString()));
        training.addAll(List.of(command));
        Path log = copy.resolve(cache.getFileName() + ".log");
        Process process = new ProcessBuilder(training).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor()).as("training exit code (see %s)", log).isZero();
        assertThat(cache).isNotEmptyFile();
    }

    /**
     * Writes {@code jrun.jar} as the build does: jrun's classes, a manifest naming the main class and
     * {@code lib/} holding the rest of the classpath, each entry a jar (the JVM caches classes from
     * jars only).
     */
    private void writeJrunJar() throws IOException {
        Path lib = Files.createDirectories(target.resolve("lib"));
        List<String> libraries = new ArrayList<>();
        Path classes = null;
        String[] classpath = System.getProperty("java.class.path").split(File.pathSeparator);
        for (int i = 0; i < classpath.length; i++) {
            Path entry = Path.of(classpath[i]);
            if (entry.endsWith(Path.of("runtime-cli", "target", "classes"))) {
                classes = entry;
            } else if (Files.isDirectory(entry) && !entry.endsWith("test-classes")) {
                String name = i + "-" + entry.getParent().getParent().getFileName() + ".jar";
                jar(entry, lib.resolve(name), new Manifest());
                libraries.add("lib/" + name);
            } else if (Files.isRegularFile(entry)) {
                String name = i + "-" + entry.getFileName();
                Files.copy(entry, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                libraries.add("lib/" + name);
            }
        }
        assertThat(classes).as("runtime-cli's classes on the test classpath").isNotNull();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libraries));
        manifest.getMainAttributes().putValue("Enable-Native-Access", "ALL-UNNAMED");
        jar(classes, target.resolve("jrun.jar"), manifest);
    }

    private static void jar(Path directory, Path jar, Manifest manifest) throws IOException {
        manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(directory.relativize(path).toString()));
                Files.copy(path, out);
                out.closeEntry();
            }
        }
    }
}
