package dev.jrun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * config.json's time namespace with offsets, personality, scheduler and I/O priority through the
 * command line, read back from the kernel inside a busybox container (root); {@code exec -p}'s
 * process.json takes its own scheduler and I/O priority and joins the container's time namespace, as
 * does a container that names it in linux.namespaces.
 */
class OciProcessAttributesTest {

    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** /proc/PID/stat's fields after the command's name: nice is field 19, policy field 41. */
    private static final int NICE_AFTER_NAME = 19 - 3;
    private static final int POLICY_AFTER_NAME = 41 - 3;
    private static final String SCHED_BATCH = "3";
    private static final String SCHED_IDLE = "5";

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    /** A bundle whose container has a time namespace a day ahead and all four attributes set. */
    private BusyboxBundle bundle(String name, String... args) {
        BusyboxBundle bundle = BusyboxBundle.create(work.resolve(name), args);
        bundle.linux().withArray("namespaces").addObject().put("type", "time");
        bundle.linux().putObject("timeOffsets").putObject("boottime").put("secs", DAY_SECONDS).put("nanosecs", 0);
        bundle.linux().putObject("personality").put("domain", "LINUX32");
        bundle.process().putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 5);
        bundle.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_BE").put("priority", 6);
        return bundle;
    }

    @Test
    void theContainerSeesItsClocksDomainSchedulingAndIoPriority() throws IOException {
        double hostUptimeBefore = hostUptime();
        BusyboxBundle bundle = bundle("attributes", "sh", "-c", "cat /proc/uptime; uname -m; cat /proc/1/stat; ionice -p 1; true");

        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), "attributes");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(uptime(lines.get(0))).isGreaterThanOrEqualTo(hostUptimeBefore + DAY_SECONDS);
        assertThat(lines.get(1)).isEqualTo("i686");
        assertThat(fieldsAfterName(lines.get(2))).satisfies(fields -> {
            assertThat(fields.get(NICE_AFTER_NAME)).isEqualTo("5");
            assertThat(fields.get(POLICY_AFTER_NAME)).isEqualTo(SCHED_BATCH);
        });
        assertThat(lines.get(3)).isEqualTo("best-effort: prio 6");
    }

    @Test
    void execTakesProcessJsonsSchedulingAndJoinsTheTimeNamespace() throws IOException {
        assertThat(jrun.run("run", "-d", "-b", bundle("running", "sleep", "1000").write().toString(), "running")
                .exitCode()).isZero();
        double hostUptimeBefore = hostUptime();
        ObjectNode process = JSON.createObjectNode().put("cwd", "/");
        process.putArray("args").add("sh").add("-c").add("cat /proc/uptime /proc/$$/stat; ionice -p $$; true");
        process.putArray("env").add("PATH=/bin");
        process.putObject("scheduler").put("policy", "SCHED_IDLE");
        process.putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 0);
        Path processFile = work.resolve("process.json");
        Files.writeString(processFile, process.toString());

        OciCli.Result result = jrun.run("exec", "-p", processFile.toString(), "running");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        List<String> lines = result.stdout().lines().toList();
        assertThat(uptime(lines.get(0))).isGreaterThanOrEqualTo(hostUptimeBefore + DAY_SECONDS);
        assertThat(fieldsAfterName(lines.get(1)).get(POLICY_AFTER_NAME)).isEqualTo(SCHED_IDLE);
        assertThat(lines.get(2)).isEqualTo("idle");
    }

    @Test
    void aContainerJoiningTheTimeNamespaceByPathSeesItsClocks() throws IOException {
        assertThat(jrun.run("run", "-d", "-b", bundle("owner", "sleep", "1000").write().toString(), "owner")
                .exitCode()).isZero();
        int owner = jrun.state("owner").get("pid").asInt();
        BusyboxBundle joining = BusyboxBundle.create(work.resolve("joining"), "cat", "/proc/uptime");
        joining.linux().withArray("namespaces").addObject().put("type", "time")
                .put("path", "/proc/" + owner + "/ns/time");
        double hostUptimeBefore = hostUptime();

        OciCli.Result result = jrun.run("run", "-b", joining.write().toString(), "joining");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(uptime(result.stdout())).isGreaterThanOrEqualTo(hostUptimeBefore + DAY_SECONDS);
    }

    @Test
    void anUnknownDomainIsRefusedAtItsPathAndLeavesNothing() throws IOException {
        BusyboxBundle bundle = bundle("refused", "true");
        bundle.linux().putObject("personality").put("domain", "LINUX64");

        jrun.assertRefused("run", "-b", bundle.write().toString(), "refused")
                .contains("linux.personality.domain: unknown domain \"LINUX64\" (known: LINUX, LINUX32)");
        assertThat(jrun.run("state", "refused").exitCode()).isNotZero();
    }

    private static double hostUptime() throws IOException {
        return uptime(Files.readString(Path.of("/proc/uptime")));
    }

    private static double uptime(String procUptime) {
        return Double.parseDouble(procUptime.strip().split(" ")[0]);
    }

    private static List<String> fieldsAfterName(String stat) {
        return Arrays.asList(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    }
}
