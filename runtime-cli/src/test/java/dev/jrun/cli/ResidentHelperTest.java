package dev.jrun.cli;

import dev.jrun.resident.ResidentClient;
import dev.jrun.model.ExitStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resident helper for real: a helper JVM of this build on a socket of the test's, and the
 * forwarding client the build emits, run as {@code ./jrun} runs it. Each command the helper runs
 * must do and print what the same command does in a JVM of its own; the ones it must not run
 * (those that start containers, relative paths) come back declined, for the caller to run.
 */
class ResidentHelperTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    private Path socket;
    private Path client;
    private Process helper;

    @BeforeEach
    void startHelper() throws Exception {
        Path directory = Files.createDirectory(work.resolve("helper"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        socket = directory.resolve("helper.sock");
        client = Files.write(work.resolve("jrun-client"), ResidentClient.executable(socket));
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwxr-xr-x"));
        helper = startHelper(30);
    }

    @AfterEach
    void stopHelper() throws InterruptedException {
        if (helper != null) {
            helper.destroy();
            helper.waitFor(OciCli.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void theHelperRunsShortCommandsAsAJvmOfTheirOwnWould() {
        OciCli.Result missingByHelper = throughClient("state", "nosuch");
        OciCli.Result missing = jrun.run("state", "nosuch");
        assertThat(missingByHelper).isEqualTo(missing);
        assertThat(missingByHelper.exitCode()).isEqualTo(1);
        assertThat(missingByHelper.stderr()).startsWith("jrun: container \"nosuch\" does not exist");

        assertThat(throughClient("list")).isEqualTo(jrun.run("list"));
        OciCli.Result version = throughClient("--version");
        assertThat(version).isEqualTo(jrun.run("--version"));
        assertThat(version.stdout()).startsWith("jrun version ");
    }

    @Test
    void aContainerCreatedByAJvmIsStartedKilledAndDeletedByTheHelper() throws IOException {
        Path bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "100").write();
        OciCli.Result created = jrun.run("create", "-b", bundle.toString(), "--pid-file", work.resolve("pid").toString(),
                "slept");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        int pid = Integer.parseInt(Files.readString(work.resolve("pid")).strip());

        assertThat(throughClient("start", "slept").exitCode()).isZero();
        OciCli.Result state = throughClient("state", "slept");
        assertThat(OciCli.json(state.stdout()).get("status").asText()).isEqualTo("running");
        assertThat(OciCli.json(state.stdout()).get("pid").asInt()).isEqualTo(pid);
        assertThat(throughClient("ps", "slept").stdout()).contains("sleep");

        assertThat(throughClient("kill", "slept", "KILL").exitCode()).isZero();
        assertThat(Subreaper.waitFor(pid)).isEqualTo(ExitStatus.killed(9));
        OciCli.Result deleted = throughClient("delete", "--force", "slept");
        assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
        assertThat(jrun.root().resolve("slept")).doesNotExist();
    }

    @Test
    void commandsThatStartContainersOrNameRelativePathsAreDeclinedForTheCallerToRun() {
        assertThat(jrun.run(List.of(client.toString(), "run", "-b", "bundle", "x")).exitCode())
                .isEqualTo(ResidentClient.DECLINED);
        assertThat(jrun.run(List.of(client.toString(), "--root", "relative", "list")).exitCode())
                .isEqualTo(ResidentClient.DECLINED);
        assertThat(jrun.run(List.of(client.toString(), "--log=relative.log", "list")).exitCode())
                .isEqualTo(ResidentClient.DECLINED);
        assertThat(jrun.run(List.of(client.toString(), "events", "x")).exitCode()).isEqualTo(ResidentClient.DECLINED);
    }

    @Test
    void eachCommandLogsToItsOwnLogFile() throws IOException {
        Path first = work.resolve("first.log");
        Path second = work.resolve("second.log");

        assertThat(throughClient("--log", first.toString(), "--debug", "list").exitCode()).isZero();
        assertThat(throughClient("--log", second.toString(), "--debug", "state", "nosuch").exitCode()).isEqualTo(1);

        assertThat(Files.readString(first)).contains("level=debug").contains("list").doesNotContain("nosuch");
        assertThat(Files.readString(second)).contains("state nosuch").contains("level=error");
    }

    @Test
    void onlyTheHelpersUserReachesIt() {
        List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                client.toString(), "list"));

        assertThat(jrun.run(asNobody).exitCode()).isEqualTo(ResidentClient.UNREACHABLE);
    }

    @Test
    void withoutAHelperTheClientSaysSoAndAHelperLeavesWhenIdleTakingItsSocket() throws Exception {
        helper.destroy();
        helper.waitFor();
        helper = startHelper(1);

        assertThat(helper.waitFor(OciCli.TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the helper left after 1 idle second").isTrue();
        assertThat(helper.exitValue()).isZero();
        assertThat(socket).doesNotExist();

        assertThat(throughClient("list").exitCode()).isEqualTo(ResidentClient.UNREACHABLE);
    }

    @Test
    void aSecondHelperLeavesTheSocketToTheFirstAndOneKilledIsReplaced() throws Exception {
        Process second = startProcess(30);
        assertThat(second.waitFor(OciCli.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(throughClient("list").exitCode()).isZero();

        helper.destroyForcibly().waitFor();
        assertThat(socket).as("a killed helper leaves its socket").exists();
        helper = startHelper(30);
        assertThat(throughClient("list").exitCode()).isZero();
    }

    private OciCli.Result throughClient(String... args) {
        List<String> command = new ArrayList<>(List.of(client.toString(), "--root", jrun.root().toString()));
        command.addAll(List.of(args));
        return jrun.run(command);
    }

    /** Starts a helper that leaves after {@code idleSeconds}, and waits until it answers. */
    private Process startHelper(int idleSeconds) throws Exception {
        Process started = startProcess(idleSeconds);
        for (long waited = 0; jrun.run(List.of(client.toString(), "--version")).exitCode() != 0; waited += 50) {
            assertThat(started.isAlive()).as("the helper runs").isTrue();
            assertThat(waited).as("ms the helper took to answer").isLessThan(TimeUnit.SECONDS.toMillis(OciCli.TIMEOUT_SECONDS));
            Thread.sleep(50);
        }
        return started;
    }

    private Process startProcess(int idleSeconds) throws IOException {
        List<String> command = new ArrayList<>(OciCli.launcher());
        command.set(command.size() - 1, ResidentHelper.class.getName());
        command.add(socket.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(work.resolve("helper-" + System.nanoTime() + ".err").toFile());
        builder.environment().put("JRUN_HELPER_IDLE_SECONDS", Integer.toString(idleSeconds));
        return builder.start();
    }
}
