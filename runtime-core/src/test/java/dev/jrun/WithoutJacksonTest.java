package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.Stdio;
import dev.jrun.testing.JvmWithout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

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
        JvmWithout.Result run = JvmWithout.run("jackson", SandboxWithoutJackson.class);

        assertThat(run.output()).isEqualTo("no Jackson on the class path\nhello from sandbox, PID 1\nexited with code 0\n");
        assertThat(run.exitCode()).isZero();
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
