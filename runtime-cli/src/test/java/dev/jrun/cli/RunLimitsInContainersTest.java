package dev.jrun.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code jrun run} with security and limit flags, run as a separate process on real containers. */
class RunLimitsInContainersTest {

    /** A finished jrun process: its exit code and everything it printed. */
    record Finished(int code, String output) {
    }

    @BeforeEach
    void needsRoot() throws IOException {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"), "needs root: starting containers");
    }

    @Test
    void aMemoryHogUnderMemoryIsOomKilled() throws Exception {
        assertThat(jrun("-m", "32m", "--", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1").code()).isEqualTo(137);
    }

    @Test
    void aMemoryLimitTooLowForTheSetUpIsReportedAsTheOomKillAndLeavesNoCgroup() throws Exception {
        String cgroup = "/jrun-test-starved-" + ProcessHandle.current().pid();

        Finished starved = jrun("-m", "4096", "--cgroup-path", cgroup, "--", "true");

        assertThat(starved.code()).isEqualTo(125);
        assertThat(starved.output()).isEqualTo(
                "jrun: the container was killed by the OOM killer during set-up: memory limit 4096 bytes is too low\n");
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroup)).isEmpty();
    }

    @Test
    void seccompUnconfinedLiftsTheDefaultProfile() throws Exception {
        Finished confined = jrun("--", "unshare", "--user", "true");
        assertThat(confined.code()).isEqualTo(1);
        assertThat(confined.output()).contains("Operation not permitted");
        assertThat(jrun("--seccomp", "unconfined", "--", "unshare", "--user", "true").code()).isZero();
    }

    @Test
    void userRunsTheCommandAsThatUser() throws Exception {
        assertThat(jrun("--user", "1000:1000", "--", "sh", "-c", "id -u; id -g").output()).isEqualTo("1000\n1000\n");
    }

    @Test
    void usernsGivesANonIdentityUidMap() throws Exception {
        String map = jrun("--userns", "--", "cat", "/proc/self/uid_map").output().trim();
        assertThat(map).matches("0\\s+\\d+\\s+65536").isNotEqualTo("0 0 4294967295");
        assertThat(map.split("\\s+")[1]).isNotEqualTo("0");
    }

    @Test
    void droppedCapabilitiesAreGone() throws Exception {
        Finished chown = jrun("--cap-drop", "CHOWN", "--", "chown", "1", "/tmp");
        assertThat(chown.code()).isEqualTo(1);
        assertThat(chown.output()).contains("Operation not permitted");
    }

    private static Finished jrun(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Finished(process.exitValue(), output);
    }
}
