package dev.jrun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The library examples in README.md compile against the current API, and the first does what it says
 * (the network example needs an image named busybox in the default store: ImageNetworkTest runs its like).
 */
class ReadmeExampleTest {

    private static final Path README = Path.of("../README.md");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path classes;

    @Test
    void libraryExampleCompilesAndRuns() throws Exception {
        Path source = classes.resolve("Sandbox.java");
        Files.writeString(source, javaExample("Sandbox"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        compile(source);

        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"),
                "running the example needs root: it creates namespaces and mounts");
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + ":" + System.getProperty("java.class.path"), "Sandbox")
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("hello from sandbox, PID 1", "passwd", "exit code 0");
    }

    @Test
    void networkExampleCompiles() throws Exception {
        Path source = classes.resolve("PublishedServer.java");
        Files.writeString(source, javaExample("PublishedServer"));
        compile(source);
    }

    private void compile(Path source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int result = javac.run(null, null, null,
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertThat(result).as("javac of README.md's example " + source.getFileName()).isZero();
    }

    /** {@return the ```java block of README.md that declares the class {@code name}} */
    private static String javaExample(String name) throws IOException {
        Matcher block = JAVA_BLOCK.matcher(Files.readString(README));
        while (block.find()) {
            if (block.group(1).contains("public class " + name + " ")) {
                return block.group(1);
            }
        }
        throw new AssertionError("README.md has no ```java example of class " + name);
    }
}
