package dev.jrun.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test JVM killed with SIGKILL while its container runs leaves nothing behind: the container
 * dies with it (its parent-death signal), no mount of it reaches the host, and the next JVM that
 * starts a container removes the cgroup the killed one could not.
 */
@ExtendWith(RequiresRoot.class)
class KilledJvmTest {

    /** Bounds how long the test waits for the kernel to finish what the SIGKILL started; never a measured speed. */
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void aTestJvmKilledWithSigkillLeavesNoContainerCgroupOrMount() throws Exception {
        Set<String> mountsBefore = hostMountPoints();
        Process jvm = java(HoldsASandbox.class);
        String[] report = firstLine(jvm).split(" ");
        assertThat(report[0]).as("the JVM holding the sandbox reports it").isEqualTo("pid");
        Path container = Path.of("/proc", report[1]);
        List<Path> cgroup = Arrays.stream(report[3].split(",")).map(Path::of).toList();
        assertThat(container).exists();
        assertThat(cgroup).isNotEmpty().allSatisfy(dir -> assertThat(dir).isDirectory());

        jvm.destroyForcibly();
        assertThat(jvm.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        awaitGone(container);
        assertThat(container).as("the container of the killed JVM").doesNotExist();
        // Its cgroup stays until a JVM in the same cgroup starts its first container (this host may
        // run others that do so first), so the test starts one.
        Process next = java(StartsASandbox.class);
        assertThat(next.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
        assertThat(cgroup).as("the next JVM's first container removed it")
                .allSatisfy(dir -> assertThat(dir).doesNotExist());
        Set<String> left = new HashSet<>(hostMountPoints());
        left.removeAll(mountsBefore);
        assertThat(left).as("mounts on the host since the killed JVM started").isEmpty();
    }

    private static Process java(Class<?> main) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName())
                .redirectErrorStream(true).start();
    }

    private static String firstLine(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        return line == null ? "" : line;
    }

    /** The kernel delivers the parent-death SIGKILL at once; the container's exit and reaping may take a moment. */
    private static void awaitGone(Path process) throws InterruptedException {
        Instant deadline = Instant.now().plus(LIMIT);
        while (Files.exists(process) && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
    }

    private static Set<String> hostMountPoints() throws IOException {
        Set<String> points = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/1/mountinfo"))) {
            points.add(line.split(" ")[4]);
        }
        return points;
    }

    /** Starts a sandbox that would run for ten minutes, says where it is, and waits to be killed. */
    static final class HoldsASandbox {

        public static void main(String[] args) throws InterruptedException {
            SandboxContainer sandbox = SandboxContainer.command("sleep", "600").start();
            List<Path> cgroup = sandbox.process().cgroup().orElseThrow().directories();
            System.out.println("pid " + sandbox.pid() + " cgroup "
                    + String.join(",", cgroup.stream().map(Path::toString).toList()));
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(10));
        }
    }

    /** Starts and stops one sandbox: the first container of a JVM sweeps what killed JVMs left. */
    static final class StartsASandbox {

        public static void main(String[] args) {
            try (SandboxContainer sandbox = SandboxContainer.command("true").waitingFor(Wait.forExit()).start()) {
                System.out.println(sandbox.process().waitFor());
            }
        }
    }
}
