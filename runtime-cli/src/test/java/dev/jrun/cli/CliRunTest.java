package dev.jrun.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jrun run} runs the command in a container and exits with its exit code. */
class CliRunTest {

    private final JrunCli jrun = JrunCli.asThisUser();

    @BeforeAll
    static void needsRoot() {
        HostSystem.assumeRoot("jrun run starts a real container (creates namespaces and mounts)");
    }

    @Test
    void theCommandIsPidOne() {
        JrunCli.Result result = jrun.run("run", "--", "sh", "-c", "echo $$");

        assertThat(result.stdout()).isEqualTo("1\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aTerminalStartsAtTheSizeOfJrunsOwnAndAtTheDefaultWhenThatIsUnknown() throws IOException {
        try (PseudoTerminal sized = PseudoTerminal.sized(132, 43)) {
            JrunCli.Result result = sized.run(jrun.command("run", "-t", "--", "stty", "size"));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("43 132\r\n");
        }
        // A terminal that says 0x0 was never sized: the container's keeps the default.
        try (PseudoTerminal unsized = PseudoTerminal.sized(0, 0)) {
            JrunCli.Result result = unsized.run(jrun.command("run", "-t", "--", "stty", "size"));

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout()).isEqualTo("24 80\r\n");
        }
    }

    @Test
    void theHostnameOptionSetsTheHostname() {
        assertThat(jrun.run("run", "--hostname", "box", "--", "hostname").stdout()).isEqualTo("box\n");
    }

    @Test
    void jrunExitsWithTheCommandsExitCode() {
        JrunCli.Result result = jrun.run("run", "--", "sh", "-c", "exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void stdinReachesTheCommand() {
        JrunCli.Result result = jrun.runWithInput("hi\n", "run", "--", "cat");

        assertThat(result.stdout()).isEqualTo("hi\n");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void stderrOfTheCommandIsJrunsStderr() {
        JrunCli.Result result = jrun.run("run", "--", "sh", "-c", "echo oops >&2");

        assertThat(result.stderr()).isEqualTo("oops\n");
        assertThat(result.stdout()).isEmpty();
    }

    @Test
    void environmentOptionsReachTheCommand() {
        JrunCli.Result result = jrun.run("run", "-e", "GREETING=hello", "--", "sh", "-c", "echo $GREETING");

        assertThat(result.stdout()).isEqualTo("hello\n");
    }

    @Test
    void aMissingCommandExitsWith127() {
        JrunCli.Result result = jrun.run("run", "--", "nope");

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.stderrLines()).singleElement().asString()
                .startsWith("jrun: execve nope").contains("ENOENT");
    }
}
