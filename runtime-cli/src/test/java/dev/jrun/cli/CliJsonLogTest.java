package dev.jrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --log FILE}: the file, created at once, and errors in it as runc's JSON lines: level, msg, time. */
class CliJsonLogTest {

    @TempDir
    Path logs;

    private final JrunCli jrun = JrunCli.asThisUser();

    @Test
    void anErrorIsLoggedAsAJsonLine() throws IOException {
        Path log = logs.resolve("jrun.log");

        JrunCli.Result result = jrun.run("--log", log.toString(), "--log-format", "json",
                "run", "--rootfs", "/nonexistent", "--", "true");

        assertThat(result.exitCode()).isNotZero();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).isNotEmpty();
        assertThat(lines.getLast())
                .startsWith("{")
                .endsWith("}")
                .contains("\"level\":\"error\"", "\"msg\":", "\"time\":")
                .contains("/nonexistent");
    }

    @Test
    void theLogFileIsCreatedAtOnceEvenWhenNothingIsLogged() {
        Path log = logs.resolve("quiet.log");

        JrunCli.Result result = jrun.run("--log", log.toString(), "features");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(log).isEmptyFile();
    }

    /** runc fails too ("open /missing/jrun.log: no such file or directory"); the command does not run. */
    @Test
    void aLogFileThatCannotBeOpenedFailsTheCommandAsRuncs() {
        Path log = logs.resolve("missing/jrun.log");

        JrunCli.Result result = jrun.run("--log", log.toString(), "--log-format", "json", "features");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderrLines()).containsExactly("jrun: open log file " + log + ": NoSuchFileException");
        assertThat(log.getParent()).doesNotExist();
    }

    @Test
    void anErrorStillReachesStderrWhenLoggedToAFile() {
        Path log = logs.resolve("jrun.log");

        JrunCli.Result result = jrun.run("--log", log.toString(), "--log-format", "json",
                "run", "--rootfs", "/nonexistent", "--", "true");

        assertThat(result.stderrLines()).singleElement().asString().startsWith("jrun: ").contains("/nonexistent");
    }
}
