package dev.jrun.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What jrun says about itself, and how it answers a command it does not know. No root needed. */
class CliInfoTest {

    private final JrunCli jrun = JrunCli.asThisUser();

    @Test
    void versionNamesJrunItsCommitAndTheOciSpec() {
        JrunCli.Result result = jrun.run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutLines()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(result.stdoutLines().get(0)).startsWith("jrun version ").doesNotContain("${");
        assertThat(result.stdoutLines().get(1)).startsWith("commit: ").doesNotContain("${");
        assertThat(result.stdoutLines().get(2)).isEqualTo("spec: 1.3.0");
    }

    @Test
    void runcsDashVIsTheVersionToo() {
        List<String> version = jrun.run("--version").stdoutLines();

        JrunCli.Result alone = jrun.run("-v");
        JrunCli.Result afterGlobalOptions = jrun.run("--root", "/nonexistent/state", "--debug", "-v");

        assertThat(alone.exitCode()).isZero();
        assertThat(alone.stdoutLines()).isEqualTo(version);
        assertThat(afterGlobalOptions.exitCode()).as(afterGlobalOptions.stderr()).isZero();
        assertThat(afterGlobalOptions.stdoutLines()).isEqualTo(version);
    }

    @Test
    void noCommandIsAUsageError() {
        JrunCli.Result result = jrun.run("--root", "/nonexistent/state");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderrLines()).singleElement().asString().startsWith("jrun: ").contains("subcommand");
    }

    @Test
    void helpListsTheRunCommand() {
        JrunCli.Result result = jrun.run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).containsPattern("(?m)^\\s+run\\s+\\S");
    }

    @Test
    void runHelpDescribesItsOptions() {
        JrunCli.Result result = jrun.run("run", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("--rootfs", "--hostname", "--volume", "--dry-run", "COMMAND");
    }

    @Test
    void theHelpCommandPrintsJrunsUsageOrACommandsAndRefusesAnUnknownOne() {
        JrunCli.Result jrunsUsage = jrun.run("help");
        JrunCli.Result killsUsage = jrun.run("help", "kill");
        JrunCli.Result unknown = jrun.run("help", "foo");

        assertThat(jrunsUsage.exitCode()).as(jrunsUsage.stderr()).isZero();
        assertThat(jrunsUsage.stdout()).startsWith("Usage: jrun ").containsPattern("(?m)^\\s+run\\s+\\S");
        assertThat(killsUsage.exitCode()).as(killsUsage.stderr()).isZero();
        assertThat(killsUsage.stdout()).startsWith("Usage: jrun kill ").contains("SIGNAL");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stdout()).isEmpty();
        assertThat(unknown.stderr()).contains("foo");
    }

    @Test
    void helpOnAnUnknownCommandFailsAsRuncsDoesAndOnAKnownOneSucceeds() {
        JrunCli.Result unknown = jrun.run("foo", "-h");
        JrunCli.Result known = jrun.run("--debug", "kill", "-h");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).isEqualTo("jrun: No help topic for 'foo'\n");
        assertThat(unknown.stdout()).isEmpty();
        assertThat(known.exitCode()).as(known.stderr()).isZero();
        assertThat(known.stdout()).contains("SIGNAL");
    }

    @Test
    void anUnknownCommandIsOneLineOnStderr() {
        JrunCli.Result result = jrun.run("nosuchcommand");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderrLines()).singleElement().asString()
                .startsWith("jrun: ").contains("nosuchcommand");
        assertThat(result.stdout()).isEmpty();
    }
}
