package dev.jrun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image example of README.md (pull, import, a container on the image's root) compiles against
 * the current API. It is not run: it needs a registry and an archive; RegistryPullTest and
 * ImageRunTest do what it does.
 */
class ReadmeImageExampleTest {

    private static final Path README = Path.of("../README.md");
    private static final Pattern BLOCK = Pattern.compile("```\\n(ImageStore store = .*?)```", Pattern.DOTALL);

    @TempDir
    Path classes;

    @Test
    void imageExampleCompiles() throws IOException {
        Matcher block = BLOCK.matcher(Files.readString(README));
        assertThat(block.find()).as("README.md has the ImageStore example").isTrue();
        Path source = classes.resolve("Images.java");
        Files.writeString(source, """
                import dev.jrun.ContainerRoot;
                import dev.jrun.ImageStore;
                import dev.jrun.image.Image;
                import dev.jrun.image.PullOptions;
                import dev.jrun.model.ContainerProcess;
                import dev.jrun.model.ExitStatus;

                import java.nio.file.Path;
                import java.util.List;
                import java.util.Optional;

                class Images {
                    static void example() throws Exception {
                %s    }
                }
                """.formatted(block.group(1)));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();

        int result = javac.run(null, null, null,
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());

        assertThat(result).as("javac of README.md's image example").isZero();
    }
}
