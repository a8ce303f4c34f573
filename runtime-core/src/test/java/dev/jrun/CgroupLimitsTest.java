package dev.jrun;

import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.ResourceStats;
import dev.jrun.model.Resources;
import dev.jrun.model.Stdio;
import dev.jrun.model.SystemCallException;
import dev.jrun.testing.HostSnapshot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static dev.jrun.Runs.assumeRoot;
import static dev.jrun.Runs.run;
import static dev.jrun.Runs.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Containers' cgroups on this host, for real: limits hold, statistics come
 * from the cgroup, and every cgroup is gone once its container is closed.
 */
class CgroupLimitsTest {

    private static final long MIB = 1L << 20;

    @BeforeEach
    void needsRoot() {
        assumeRoot("creating cgroups and containers");
    }

    @Test
    void aMemoryHogIsOomKilledAndTheHostIsUntouched() {
        Container.Builder hog = Container.builder().command("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        List<Path> dirs;
        ResourceStats.Memory memory;
        Container limited = hog.resources(Resources.containerDefaults().withMemoryLimit(32 * MIB))
                .stdout(Stdio.DISCARD).stderr(Stdio.DISCARD).build();
        try (ContainerProcess process = limited.start()) {
            dirs = process.cgroup().orElseThrow().directories();
            ExitStatus status = process.waitFor();
            assertThat(status.shellCode()).isEqualTo(137);
            assertThat(status.wasOomKilled()).as(status.toString()).isTrue();
            assertThat(status).hasToString("killed by the OOM killer (signal 9)");
            memory = process.stats().memory().orElseThrow();
        }
        assertThat(memory.oomKills()).isGreaterThanOrEqualTo(1);
        assertThat(memory.limitBytes()).hasValue(32 * MIB);
        assertThat(dirs).isNotEmpty().allSatisfy(dir -> assertThat(dir).doesNotExist());
        // The same command without the limit: only the container was held to 32 MiB.
        assertThat(run(Container.builder().command("dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"))
                .status().shellCode()).isZero();
    }

    @Test
    void aMemoryLimitTooLowForTheSetUpIsReportedAsTheOomKillAndLeavesNothingBehind() throws IOException {
        // A cgroup of its own name: other containers may come and go in the JVM's cgroup meanwhile.
        String cgroup = "jrun-test-starved-" + ProcessHandle.current().pid();
        Container starved = Container.builder().command("true").cgroupPath("/" + cgroup)
                .resources(Resources.containerDefaults().withMemoryLimit(4096))
                .stdin(Stdio.DISCARD).stdout(Stdio.DISCARD).stderr(Stdio.DISCARD).build();
        String killed = "the container was killed by the OOM killer during set-up: memory limit 4096 bytes is too low";
        // The first attempt also loads every class the failure path needs (which opens jars).
        assertThatThrownBy(starved::start).isInstanceOf(IllegalStateException.class).hasMessage(killed);
        HostSnapshot before = HostSnapshot.capture();

        assertThatThrownBy(starved::start).isInstanceOf(IllegalStateException.class).hasMessage(killed);

        assertThat(HostSnapshot.capture()).isEqualTo(before);
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            assertThat(Stream.concat(hierarchies, Stream.of(Path.of("/sys/fs/cgroup"))).map(h -> h.resolve(cgroup)))
                    .as("cgroups left behind").noneMatch(Files::exists);
        }
    }

    @Test
    void aForkBombIsContainedByThePidsLimit() throws Exception {
        Container bomb = shell("bomb() { bomb | bomb & }; bomb; exec sleep 600")
                .resources(Resources.containerDefaults().withPidsLimit(32))
                .stdout(Stdio.DISCARD).stderr(Stdio.DISCARD).build();
        List<Path> dirs;
        try (ContainerProcess process = bomb.start()) {
            dirs = process.cgroup().orElseThrow().directories();
            awaitUntil(() -> process.stats().pids().orElseThrow().refused() > 0, "the bomb hits the pids limit");
            for (int sample = 0; sample < 20; sample++) {
                assertThat(process.stats().pids().orElseThrow().current()).isLessThanOrEqualTo(32);
            }
            assertThat(new ProcessBuilder("true").start().waitFor(10, TimeUnit.SECONDS)).as("the host can still fork").isTrue();
        }
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void aQuotaOfHalfACoreHoldsInTheCgroupsOwnStatistics() throws Exception {
        Container busy = shell("while :; do :; done")
                .resources(Resources.containerDefaults().withCpus(0.5)).build();
        try (ContainerProcess process = busy.start()) {
            awaitUntil(() -> cpu(process).usageNanos() > 0, "the loop runs");
            ResourceStats.Cpu before = cpu(process);
            long start = System.nanoTime();
            Thread.sleep(Duration.ofSeconds(1));
            ResourceStats.Cpu after = cpu(process);
            double share = (after.usageNanos() - before.usageNanos()) / (double) (System.nanoTime() - start);
            System.out.printf("CPU share of a busy loop under a 0.5 CPU quota: %.3f%n", share);
            assertThat(share).as("CPU time per wall-clock time").isBetween(0.2, 0.75);
            assertThat(after.throttledPeriods()).isGreaterThan(before.throttledPeriods());
        }
    }

    @Test
    void aPausedContainerRunsOnWhenResumed() throws IOException {
        Container reader = shell("read line; echo \"got $line\"").stdin(Stdio.PIPE).stdout(Stdio.PIPE).build();
        try (ContainerProcess process = reader.start()) {
            process.pause();
            Path freezer = process.cgroup().orElseThrow().directories().stream()
                    .filter(dir -> Files.exists(dir.resolve("freezer.state")) || Files.exists(dir.resolve("cgroup.freeze")))
                    .findFirst().orElseThrow();
            assertThat(frozen(freezer)).isTrue();
            try (OutputStream stdin = process.stdin()) {
                stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
            }
            process.resume();
            assertThat(frozen(freezer)).isFalse();
            assertThat(Runs.read(process.stdout())).isEqualTo("got hello\n");
            assertThat(process.waitFor().code()).isZero();
        }
    }

    @Test
    void hugePageLimitsGoToTheHierarchyThatHasHugetlb() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")), "needs 2 MB huge pages");
        Container container = shell("read line").stdin(Stdio.PIPE)
                .resources(Resources.containerDefaults().withHugepageLimit("2MB", 4 * MIB)).build();
        try (ContainerProcess process = container.start()) {
            List<Path> limits = process.cgroup().orElseThrow().directories().stream()
                    .flatMap(dir -> Stream.of(dir.resolve("hugetlb.2MB.max"), dir.resolve("hugetlb.2MB.limit_in_bytes")))
                    .filter(Files::exists).toList();
            assertThat(limits).hasSize(1);
            assertThat(Files.readString(limits.getFirst()).strip()).isEqualTo(Long.toString(4 * MIB));
            assertThat(Files.readString(limits.getFirst().resolveSibling("cgroup.procs")).strip())
                    .isEqualTo(Integer.toString(process.pid()));
        }
    }

    @Test
    void aCgroupFoundAgainByItsDirectoriesGivesStatisticsAndCanBeDeleted() {
        Container container = shell("read line").stdin(Stdio.PIPE).build();
        Cgroup found;
        try (ContainerProcess process = container.start()) {
            found = Cgroups.open(process.cgroup().orElseThrow().directories());
            assertThat(found.stats().pids()).hasValueSatisfying(pids -> assertThat(pids.current()).isEqualTo(1));
            assertThat(found.stats().memory()).hasValueSatisfying(memory -> assertThat(memory.usageBytes()).isPositive());
            found.delete();
            assertThat(process.waitFor()).isEqualTo(ExitStatus.killed(9));
        }
        assertThat(found.directories()).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void byDefaultTheCgroupIsBelowTheOneTheJvmRunsIn() throws IOException {
        String ownMemoryPath = ownCgroup("memory");
        Container sleeper = shell("read line").stdin(Stdio.PIPE).build();
        try (ContainerProcess process = sleeper.start()) {
            String containerPath = cgroupOf(process.pid(), "memory");
            assertThat(containerPath).startsWith(ownMemoryPath.equals("/") ? "/jrun-" : ownMemoryPath + "/jrun-");
        }
    }

    @Test
    void anAbsoluteCgroupPathIsTakenFromTheHierarchysRootAndRemovedAfterwards() throws IOException {
        String path = "/jrun-test-" + ProcessHandle.current().pid() + "/container";
        Container sleeper = shell("read line").stdin(Stdio.PIPE).cgroupPath(path).build();
        List<Path> dirs;
        try (ContainerProcess process = sleeper.start()) {
            dirs = process.cgroup().orElseThrow().directories();
            assertThat(cgroupOf(process.pid(), "pids")).isEqualTo(path);
            assertThat(dirs).allSatisfy(dir -> assertThat(dir.toString()).endsWith(path));
        }
        assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist().satisfies(d -> assertThat(d.getParent()).doesNotExist()));
    }

    /**
     * A second container in the cgroup of a running one shares it (each has a PID namespace of its
     * own): closing it ends its processes only, and the cgroup stays for the first until it closes.
     */
    @Test
    void aContainerSharingTheCgroupOfARunningOneLeavesItAndItsCgroupWhenClosed() throws IOException {
        String path = "/jrun-test-shared-" + ProcessHandle.current().pid();
        Container.Builder reader = shell("read line").stdin(Stdio.PIPE).cgroupPath(path);
        try (ContainerProcess first = reader.build().start()) {
            List<Path> dirs = first.cgroup().orElseThrow().directories();
            int second;
            try (ContainerProcess sharing = reader.build().start()) {
                second = sharing.pid();
                assertThat(sharing.cgroup().orElseThrow().pids()).contains(first.pid(), second);
            }
            assertThat(first.isAlive()).isTrue();
            assertThat(first.cgroup().orElseThrow().pids()).contains(first.pid()).doesNotContain(second);
            assertThat(dirs).allSatisfy(dir -> assertThat(dir).isDirectory());
            first.close();
            assertThat(dirs).allSatisfy(dir -> assertThat(dir).doesNotExist());
        }
    }

    @Test
    void aLimitBelowWhatTheKernelAcceptsIsRefusedBeforeAnythingExists() {
        assertThatThrownBy(() -> Resources.none().withCpuQuota(500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cpu quota 500µs is below the kernel's minimum of 1000µs (1 ms)");
        assertThatThrownBy(() -> Resources.none().withCpuPeriod(2_000_000))
                .hasMessage("cpu period 2000000µs is not between the kernel's 1000µs and 1000000µs");
        assertThatThrownBy(() -> Resources.none().withPidsLimit(0))
                .hasMessage("pids limit 0 must be positive (or -1 for no limit)");
        assertThatThrownBy(() -> Container.builder().command("true")
                .resources(Resources.none().withMemoryLimit(32 * MIB).withMemorySwap(16 * MIB)))
                .hasMessage("memory+swap limit 16777216 needs a memory limit no larger than it (memory limit: 33554432)");
    }

    @Test
    void aLimitTheKernelRefusesNamesTheFileAndLeavesNothingBehind() throws IOException {
        List<String> before = childCgroups("cpuset");
        Container container = Container.builder().command("true")
                .resources(Resources.containerDefaults().withCpusetCpus("4095")).build();
        assertThatThrownBy(container::start)
                .isInstanceOf(SystemCallException.class)
                .hasMessageMatching("write \"4095\" to /sys/fs/cgroup/cpuset/(.*/)?jrun-[0-9a-f]{12}/cpuset.cpus: (ERANGE|EINVAL) \\(.*\\)");
        assertThat(childCgroups("cpuset")).isEqualTo(before);
    }

    private static ResourceStats.Cpu cpu(ContainerProcess process) {
        return process.stats().cpu().orElseThrow();
    }

    private static boolean frozen(Path dir) {
        try {
            Path v1 = dir.resolve("freezer.state");
            return Files.exists(v1) ? Files.readString(v1).strip().equals("FROZEN")
                    : Files.readString(dir.resolve("cgroup.events")).contains("frozen 1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return this JVM's cgroup in the hierarchy with {@code controller}, from /proc/self/cgroup} */
    static String ownCgroup(String controller) throws IOException {
        return cgroupOf(ProcessHandle.current().pid(), controller);
    }

    private static String cgroupOf(long pid, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
            String[] fields = line.split(":", 3);
            if (List.of(fields[1].split(",")).contains(controller) || (fields[0].equals("0") && !hasV1(controller))) {
                return fields[2];
            }
        }
        throw new IllegalStateException("no " + controller + " cgroup for " + pid);
    }

    private static boolean hasV1(String controller) {
        return Files.isDirectory(Path.of("/sys/fs/cgroup", controller));
    }

    /** {@return the cgroups below this JVM's own in the hierarchy of {@code controller}} */
    private static List<String> childCgroups(String controller) throws IOException {
        Path own = hasV1(controller) ? Path.of("/sys/fs/cgroup", controller, ownCgroup(controller))
                : Path.of("/sys/fs/cgroup", ownCgroup(controller));
        try (var children = Files.list(own)) {
            return children.filter(Files::isDirectory).map(Path::toString).sorted().toList();
        }
    }

    private static void awaitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
