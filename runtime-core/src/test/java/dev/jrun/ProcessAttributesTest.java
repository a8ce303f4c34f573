package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IoPriority;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Personality;
import dev.jrun.model.Scheduler;
import dev.jrun.model.TimeOffsets;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the kernel reports inside a container given a time namespace with offsets, an execution
 * domain, a scheduling policy and an I/O priority: each set by the stub before the command.
 */
class ProcessAttributesTest {

    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();
    /** /proc/PID/stat's fields after the command's name: nice is field 19, policy field 41. */
    private static final int NICE_AFTER_NAME = 19 - 3;
    private static final int POLICY_AFTER_NAME = 41 - 3;

    @TempDir
    Path directory;
    private Path rootfs;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @BeforeEach
    void buildRootfs() {
        rootfs = BusyboxRootfs.create(directory);
    }

    private Container.Builder inRootfs(String script) {
        // "; true" keeps busybox sh from exec'ing the last command in its place, so PID 1 is still sh.
        return Container.builder().command("sh", "-c", script + "; true").filesystem(FilesystemSetup.rootfs(rootfs));
    }

    @Test
    void aBoottimeOffsetOfADayShowsInUptimeAndBothOffsetsInTheNamespace() throws IOException {
        double hostUptimeBefore = uptime(Files.readString(Path.of("/proc/uptime")));

        ContainerRun run = ContainerRun.run(inRootfs("cat /proc/uptime /proc/self/timens_offsets")
                .namespaces(NamespaceSet.isolated().with(Namespace.TIME))
                .timeOffsets(new TimeOffsets(Duration.ofHours(1), Duration.ofDays(1))));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(uptime(run.stdoutLines().getFirst())).isGreaterThanOrEqualTo(hostUptimeBefore + DAY_SECONDS);
        assertThat(run.stdoutLines().stream().map(line -> line.replaceAll(" +", " ")))
                .contains("monotonic 3600 0", "boottime 86400 0");
    }

    @Test
    void aTimeNamespaceWithoutOffsetsIsANewOne() throws IOException {
        ContainerRun run = ContainerRun.run(inRootfs("busybox readlink /proc/self/ns/time")
                .namespaces(NamespaceSet.isolated().with(Namespace.TIME)));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).singleElement().asString().startsWith("time:[")
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/time")).toString());
    }

    private static double uptime(String procUptime) {
        return Double.parseDouble(procUptime.strip().split(" ")[0]);
    }

    @Test
    void theLinux32PersonalityMakesUnameReportA32BitMachine() {
        ContainerRun run = ContainerRun.run(inRootfs("busybox uname -m").personality(Personality.LINUX32));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).containsExactly("i686");
    }

    @Test
    void theBatchPolicyAndItsNiceValueAreTheCommands() {
        ContainerRun run = ContainerRun.run(inRootfs("cat /proc/1/stat")
                .scheduler(Scheduler.of(Scheduler.Policy.BATCH, 5, 0)));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        List<String> fields = fieldsAfterName(run.stdoutLines().getFirst());
        assertThat(fields.get(NICE_AFTER_NAME)).isEqualTo("5");
        assertThat(fields.get(POLICY_AFTER_NAME)).isEqualTo(Integer.toString(Scheduler.Policy.BATCH.number()));
    }

    private static List<String> fieldsAfterName(String stat) {
        return Arrays.asList(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    }

    @Test
    void theIoPriorityIsTheCommands() {
        ContainerRun run = ContainerRun.run(inRootfs("busybox ionice -p 1")
                .ioPriority(new IoPriority(IoPriority.IoClass.BE, 6)));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).containsExactly("best-effort: prio 6");
    }
}
