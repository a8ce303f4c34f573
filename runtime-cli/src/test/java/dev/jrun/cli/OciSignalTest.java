package dev.jrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signals sent to {@code jrun run -b} and {@code jrun exec} reach the container's process, as they do
 * with {@code jrun run} ({@link CliSignalTest}): the command line opts in to forwarding, which the
 * library leaves to it.
 */
class OciSignalTest {

    /** A forwarded signal is handled at once; this only bounds how long a test waits when it is not. */
    private static final Duration SIGNAL_LIMIT = Duration.ofSeconds(20);

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();
    private final Path root = jrun.root();

    /** Starts jrun with {@code args} and {@return it} once the container's process printed "ready". */
    private Process startReady(String... args) {
        try {
            return JrunCli.whenReady(new ProcessBuilder(jrun.command(args))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path bundle(String name, String script) {
        return BusyboxBundle.create(work.resolve(name), "sh", "-c", script).write();
    }

    @Test
    void sigtermEndsTheBundlesPlainCommandAndJrunRunExits143() {
        Process process = startReady("run", "-b", bundle("plain", "echo ready; exec sleep 30").toString(), "plain");

        JrunCli.send("TERM", process);

        assertThat(JrunCli.finish(process, SIGNAL_LIMIT).exitCode()).isEqualTo(143);
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aSignalToJrunRunReachesTheBundlesProcess() {
        Path bundle = bundle("trapping", "trap 'exit 42' INT; echo ready; sleep 30 & wait");
        Process process = startReady("run", "-b", bundle.toString(), "trapping");

        JrunCli.send("INT", process);

        assertThat(JrunCli.finish(process, SIGNAL_LIMIT).exitCode()).isEqualTo(42);
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void signalsToJrunExecReachTheExecutedProcess() {
        assertThat(jrun.run("run", "-d", "-b", bundle("busy", "exec sleep 1000").toString(), "busy").exitCode()).isZero();
        try {
            // The background sleep is ended too: left to the container's init, it would keep jrun's stdout open.
            Process trapping = startReady("exec", "busy", "sh", "-c",
                    "trap 'kill $!; exit 42' HUP; echo ready; sleep 30 & wait");
            JrunCli.send("HUP", trapping);
            assertThat(JrunCli.finish(trapping, SIGNAL_LIMIT).exitCode()).isEqualTo(42);

            Process plain = startReady("exec", "busy", "sh", "-c", "echo ready; exec sleep 30");
            JrunCli.send("TERM", plain);
            assertThat(JrunCli.finish(plain, SIGNAL_LIMIT).exitCode()).isEqualTo(143);
        } finally {
            assertThat(jrun.run("delete", "--force", "busy").exitCode()).isZero();
        }
    }
}
