package dev.jrun.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a main class in a JVM of its own whose class path leaves out a library: how a test shows
 * that an optional dependency is optional.
 */
public final class JvmWithout {

    /** What the JVM printed (stdout and stderr together) and its exit code. */
    public record Result(String output, int exitCode) {
    }

    private JvmWithout() {
    }

    /**
     * {@return how {@code mainClass} ran with {@code args}, on this JVM's class path less every
     * entry whose path contains {@code library}}
     */
    public static Result run(String library, Class<?> mainClass, String... args)
            throws IOException, InterruptedException {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains(library))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, mainClass.getName()));
        command.addAll(List.of(args));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).as(mainClass.getSimpleName() + " ended").isTrue();
        return new Result(output, java.exitValue());
    }
}
