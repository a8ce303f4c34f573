package dev.jrun.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./jrun} launcher laid out in a temporary copy of the checkout: the script, its JVM
 * options and a {@code runtime-cli/target/jrun.jar} of this build, so that tests of what the
 * launcher does with its build products (AOT caches, the resident helper's client) leave the real
 * ones alone.
 */
final class LauncherCopy {

    private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
    static final String JAVA_HOME = System.getProperty("java.home");

    private final Path copy;
    private final Path target;

    private LauncherCopy(Path copy, Path target) {
        this.copy = copy;
        this.target = target;
    }

    /** {@return the launcher laid out in {@code copy}, with a freshly written jar} */
    static LauncherCopy in(Path copy) throws IOException {
        Path target = Files.createDirectories(copy.resolve("runtime-cli/target"));
        Files.copy(CHECKOUT.resolve("jrun"), copy.resolve("jrun"));
        Files.copy(CHECKOUT.resolve("runtime-cli/jvm.options"), copy.resolve("runtime-cli/jvm.options"));
        LauncherCopy launcher = new LauncherCopy(copy, target);
        launcher.writeJrunJar();
        return launcher;
    }

    /** {@return {@code runtime-cli/target} of the copy} */
    Path target() {
        return target;
    }

    /** {@return the copy's {@code runtime-cli/jvm.options}} */
    Path jvmOptions() {
        return copy.resolve("runtime-cli/jvm.options");
    }

    /** Runs {@code sh jrun ARGS} with {@code environment} added to the test's, and {@return how it ended} */
    JrunCli.Result launch(Map<String, String> environment, String... args) {
        return launch(List.of("sh"), environment, args);
    }

    /** Runs {@code sh -x jrun ARGS}: as {@link #launch}, with the script's trace on stderr. */
    JrunCli.Result launchTraced(Map<String, String> environment, String... args) {
        return launch(List.of("sh", "-x"), environment, args);
    }

    private JrunCli.Result launch(List<String> shell, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(shell);
        command.add(copy.resolve("jrun").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_HOME", JAVA_HOME);
        builder.environment().putAll(environment);
        try {
            return JrunCli.finish(builder.start(), JrunCli.LIMIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code jrun.jar} as the build does: jrun's classes, a manifest naming the main class and
     * {@code lib/} holding the rest of the classpath, each entry a jar (the JVM caches classes from
     * jars only).
     */
    void writeJrunJar() throws IOException {
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
