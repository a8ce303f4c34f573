package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.Stdio;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.jrun.testing.RequiresRoot.assumeRootForContainers;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jackson is an optional dependency: only the OCI runtime reads config.json. A JVM whose class
 * path lacks Jackson runs a host sandbox, so nothing on that path loads a Jackson class.
 */
class WithoutJacksonTest {

    @Test
    void aHostSandboxRunsInAJvmWithoutJackson() throws Exception {
        assumeRootForContainers();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("jackson"))
                .collect(Collectors.joining(File.pathSeparator));
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, SandboxWithoutJackson.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).isEqualTo("no Jackson on the class path\nhello from sandbox, PID 1\nexited with code 0\n");
        assertThat(java.exitValue()).isZero();
    }

    /** Runs in the JVM without Jackson. */
    public static final class SandboxWithoutJackson {

        private SandboxWithoutJackson() {
        }

        /**
         * Proves Jackson is absent, then runs a host sandbox.
         *
         * @param args none
         * @throws Exception when anything fails, which fails the test
         */
        public static void main(String[] args) throws Exception {
            try {
                Class.forName("com.fasterxml.jackson.core.JsonFactory");
                System.out.println("Jackson is on the class path");
            } catch (ClassNotFoundException expected) {
                System.out.println("no Jackson on the class path");
            }
            Container container = Container.builder().command("sh", "-c", "echo hello from $(hostname), PID $$")
                    .hostname("sandbox").stdout(Stdio.PIPE).build();
            try (ContainerProcess process = container.start()) {
                System.out.print(new String(process.stdout().readAllBytes(), StandardCharsets.UTF_8));
                System.out.println(process.waitFor());
            }
        }
    }
}
