package dev.jrun;

import com.fasterxml.jackson.core.JsonParser;
import dev.jrun.bindings.Libc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the module path, jrun.runtime.core exports its API and hides
 * {@code dev.jrun.internal}: a consumer module compiles against the one and
 * not against the other. (The tests themselves run on the class path.)
 */
class ModuleBoundaryTest {

    @TempDir
    Path consumer;

    @Test
    void aConsumerModuleCompilesAgainstTheApi() throws IOException {
        Compilation result = compileConsumer("dev.jrun.Container", "Container.builder().command(\"true\").build()");

        assertThat(result.exitCode()).as(result.diagnostics()).isZero();
    }

    @Test
    void aConsumerModuleCannotImportTheInternals() throws IOException {
        Compilation result = compileConsumer("dev.jrun.internal.libc.Errno", "Errno.class");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.diagnostics()).containsAnyOf("is not visible", "does not export");
    }

    private record Compilation(int exitCode, String diagnostics) {
    }

    private Compilation compileConsumer(String imported, String expression) throws IOException {
        Path sources = Files.createDirectories(consumer.resolve("src/consumer"));
        Files.writeString(sources.resolve("module-info.java"), "module consumer { requires jrun.runtime.core; }\n");
        Files.writeString(Files.createDirectories(sources.resolve("example")).resolve("Use.java"),
                "package example;\nimport " + imported + ";\n"
                        + "class Use { Object use() { return " + expression + "; } }\n");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int exitCode = ToolProvider.getSystemJavaCompiler().run(null, diagnostics,
                new PrintStream(diagnostics, true, StandardCharsets.UTF_8),
                "--module-path", modulePath(), "-d", consumer.resolve("classes").toString(),
                sources.resolve("module-info.java").toString(), sources.resolve("example/Use.java").toString());
        return new Compilation(exitCode, diagnostics.toString(StandardCharsets.UTF_8));
    }

    /** runtime-core's classes, the bindings and Jackson's streaming parser, wherever the build put them. */
    private static String modulePath() {
        return Stream.of(Container.class, Libc.class, JsonParser.class)
                .map(ModuleBoundaryTest::location)
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
