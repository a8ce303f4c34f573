package dev.jrun.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jrun run --dry-run} prints the launch plan and starts nothing; it needs no root. */
class CliDryRunTest {

    private final JrunCli jrun = JrunCli.asThisUser();

    @Test
    void printsThePlanAndRunsNothing() {
        JrunCli.Result result = jrun.run("run", "--dry-run", "--", "sh", "-c", "echo ran");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("clone(", "execve(\"/bin/sh\", [\"sh\", \"-c\", \"echo ran\"]");
        assertThat(result.stdoutLines()).doesNotContain("ran");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void showsTheOptionsInThePlan() {
        JrunCli.Result result = jrun.run("run", "--dry-run", "--hostname", "box", "-w", "/usr", "--", "true");

        assertThat(result.stdout()).contains("sethostname(\"box\", 3)", "chdir(\"/usr\")");
    }
}
