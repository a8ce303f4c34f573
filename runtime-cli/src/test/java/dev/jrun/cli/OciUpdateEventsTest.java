package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jrun update} and {@code jrun events} on a live container (root, busybox): the limits in its
 * cgroup's files change, and the statistics come out as runc's JSON events.
 */
class OciUpdateEventsTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    private String cgroupsPath;

    @BeforeEach
    void startContainer() throws IOException {
        cgroupsPath = HostSystem.freshCgroupPath("jrun-test-update-");
        BusyboxBundle bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000");
        bundle.linux().put("cgroupsPath", cgroupsPath);
        JsonNode limits = OciCli.json("{\"memory\": {\"limit\": 33554432}, \"pids\": {\"limit\": 20}}");
        bundle.linux().set("resources", limits);
        OciCli.Result run = jrun.run("run", "-d", "-b", bundle.write().toString(), "limited");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    @AfterEach
    void noCgroupIsLeft() throws IOException {
        if (cgroupsPath != null) {
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
        }
    }

    /** {@return the content of the first of {@code names} (v1's, v2's) the container's cgroup has} */
    private String cgroupFile(String... names) throws IOException {
        for (Path directory : HostSystem.cgroupDirectoriesNamed(cgroupsPath)) {
            for (String name : names) {
                if (Files.exists(directory.resolve(name))) {
                    return Files.readString(directory.resolve(name)).strip();
                }
            }
        }
        throw new AssertionError("no " + List.of(names) + " in the cgroup " + cgroupsPath);
    }

    private String memoryLimit() throws IOException {
        return cgroupFile("memory.limit_in_bytes", "memory.max");
    }

    @Test
    void updateFlagsChangeTheNamedLimitsAndLeaveTheOthers() throws IOException {
        assertThat(memoryLimit()).isEqualTo("33554432");

        OciCli.Result update = jrun.run("update", "--memory", "64m", "limited");

        assertThat(update.exitCode()).as(update.stderr()).isZero();
        assertThat(memoryLimit()).isEqualTo("67108864");
        assertThat(cgroupFile("pids.max")).isEqualTo("20");
        assertThat(jrun.run("update", "--pids-limit", "-1", "limited").exitCode()).isZero();
        assertThat(cgroupFile("pids.max")).isEqualTo("max");
        assertThat(memoryLimit()).as("kept from the previous update").isEqualTo("67108864");
    }

    @Test
    void raisingMemoryAboveTheCurrentMemoryPlusSwapLimitWritesThatFirst() throws IOException {
        assertThat(jrun.run("update", "--memory", "30m", "--memory-swap", "50m", "limited").exitCode()).isZero();

        OciCli.Result raise = jrun.run("update", "--memory", "60m", "--memory-swap", "80m", "limited");

        assertThat(raise.exitCode()).as(raise.stderr()).isZero();
        assertThat(memoryLimit()).isEqualTo(Long.toString(60L << 20));
    }

    @Test
    void updateTakesALinuxResourcesObjectFromAFileOrStdin() throws IOException {
        Path file = Files.writeString(work.resolve("resources.json"), "{\"pids\": {\"limit\": 10}}");

        assertThat(jrun.run("update", "-r", file.toString(), "limited").exitCode()).isZero();
        assertThat(cgroupFile("pids.max")).isEqualTo("10");
        OciCli.Result fromStdin = jrun.runWithInput("{\"memory\": {\"limit\": 50331648}}", "update", "-r", "-", "limited");

        assertThat(fromStdin.exitCode()).as(fromStdin.stderr()).isZero();
        assertThat(memoryLimit()).isEqualTo("50331648");
        assertThat(cgroupFile("pids.max")).isEqualTo("10");
    }

    @Test
    void updateRefusesWhatCreateWouldRefuseAtItsJsonPathAndChangesNothing() throws IOException {
        Path file = Files.writeString(work.resolve("resources.json"),
                "{\"pids\": {\"limit\": 5}, \"cpu\": {\"burst\": 1000}}");

        jrun.assertRefused("update", "-r", file.toString(), "limited").contains("linux.resources.cpu.burst");

        assertThat(cgroupFile("pids.max")).isEqualTo("20");
        jrun.assertRefused("update", "-r", file.toString(), "--pids-limit", "3", "limited").contains("no other flag");
    }

    /**
     * runc's update.bats, "update rt period and runtime": the flags and the JSON fields. A real-time
     * runtime needs what the parent cgroup has left, which other cgroups on this host may have
     * taken; none needs nothing, and a runtime above its period is one the kernel always refuses.
     */
    @Test
    void updateSetsTheRealTimePeriodAndRuntimeOnCgroupV1() throws IOException {
        assumeTrue(HostSystem.cgroupDirectoriesNamed(cgroupsPath).stream()
                        .anyMatch(dir -> Files.exists(dir.resolve("cpu.rt_runtime_us"))),
                "real-time group scheduling is cgroup v1's, on kernels built with it: this host has no cpu.rt_runtime_us");

        OciCli.Result flags = jrun.run("update", "--cpu-rt-period", "900001", "--cpu-rt-runtime", "0", "limited");
        assertThat(flags.exitCode()).as(flags.stderr()).isZero();
        assertThat(cgroupFile("cpu.rt_period_us")).isEqualTo("900001");
        assertThat(cgroupFile("cpu.rt_runtime_us")).isEqualTo("0");
        OciCli.Result json = jrun.runWithInput("{\"cpu\": {\"realtimePeriod\": 800001}}", "update", "-r", "-", "limited");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        assertThat(cgroupFile("cpu.rt_period_us")).isEqualTo("800001");

        jrun.assertRefused("update", "--cpu-rt-runtime", "900000", "limited")
                .contains("write \"900000\" to /sys/fs/cgroup/", "/cpu.rt_runtime_us: EINVAL");
        assertThat(cgroupFile("cpu.rt_period_us")).isEqualTo("800001");
    }

    @Test
    void eventsStatsPrintsOneLineOfRuncsStatsEvent() {
        OciCli.Result events = jrun.run("events", "--stats", "limited");

        assertThat(events.exitCode()).as(events.stderr()).isZero();
        assertThat(events.stdout().lines()).hasSize(1);
        assertThat(events.stdout()).startsWith("{\"type\":\"stats\",\"id\":\"limited\",");
        JsonNode data = OciCli.json(events.stdout()).get("data");
        assertThat(data.at("/pids/current").asLong()).isEqualTo(1);
        assertThat(data.at("/pids/limit").asLong()).isEqualTo(20);
        assertThat(data.at("/memory/usage/limit").asLong()).isEqualTo(33554432);
        assertThat(data.at("/cpu/usage/total").asLong()).isPositive();
    }

    @Test
    void theEventStreamRepeatsAtItsIntervalAndEndsWithTheContainer() throws Exception {
        Process stream = new ProcessBuilder(jrun.command("events", "--interval", "100ms", "limited"))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (int i = 0; i < 3; i++) {
                assertThat(lines.readLine()).startsWith("{\"type\":\"stats\",\"id\":\"limited\",");
            }
            assertThat(jrun.run("delete", "--force", "limited").exitCode()).isZero();

            assertThat(stream.waitFor(OciCli.TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("the stream ended").isTrue();
            assertThat(stream.exitValue()).isZero();
        } finally {
            stream.destroyForcibly();
        }
    }
}
