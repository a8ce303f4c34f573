package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --debug}, {@code --log FILE} and {@code --log-format} as runc's debug.bats uses them (root,
 * busybox): a real container's lifecycle logged as logrus lines, to stderr or to the file only.
 */
class OciDebugLogTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    private Path bundle;

    @BeforeEach
    void helloBundle() {
        bundle = BusyboxBundle.create(work.resolve("hello"), "echo", "Hello World").write();
    }

    @Test
    void debugWritesTheContainersLifecycleToStderrAsLogrusText() {
        OciCli.Result run = jrun.run("--debug", "run", "-b", bundle.toString(), "hello");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("Hello World\n");
        assertThat(run.stderr().lines()).allMatch(line -> line.matches("time=\"[^\"]+\" level=debug msg=\".*\""))
                .anyMatch(line -> line.contains("msg=\"container hello: created from bundle " + bundle))
                .anyMatch(line -> line.endsWith("msg=\"container hello: started\""))
                .anyMatch(line -> line.endsWith("msg=\"container hello: its process ended: exited with code 0\""))
                .anyMatch(line -> line.endsWith("msg=\"container hello: deleted\""));
    }

    @Test
    void debugWithALogFileWritesOnlyToTheFile() throws IOException {
        Path log = work.resolve("log.out");

        OciCli.Result run = jrun.run("--log", log.toString(), "--debug", "run", "-b", bundle.toString(), "hello");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("level=debug");
        assertThat(Files.readAllLines(log))
                .anyMatch(line -> line.endsWith("level=debug msg=\"container hello: started\""));
    }

    @Test
    void jsonLogLinesCarryLevelMessageAndTime() throws IOException {
        Path log = work.resolve("log.json");

        OciCli.Result run = jrun.run("--log", log.toString(), "--log-format", "json", "--debug",
                "run", "-b", bundle.toString(), "hello");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<JsonNode> lines = Files.readAllLines(log).stream().map(OciCli::json).toList();
        assertThat(lines).isNotEmpty().allMatch(line -> line.get("level").asText().equals("debug")
                && line.hasNonNull("time") && line.hasNonNull("msg"));
        assertThat(lines).extracting(line -> line.get("msg").asText())
                .contains("container hello: started", "container hello: deleted");
    }
}
