package dev.jrun.internal.cgroup;

import dev.jrun.model.BlockIoDeviceWeight;
import dev.jrun.model.DeviceRule;
import dev.jrun.model.Resources;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the drivers write and where, and what probing finds, without touching the host's cgroups. */
class CgroupFilesTest {

    private static final Resources LIMITS = Resources.none()
            .withMemoryLimit(64L << 20).withMemoryReservation(32L << 20).withMemorySwap(128L << 20)
            .withCpuShares(512).withCpus(0.5).withCpusetCpus("0-1").withCpusetMems("0")
            .withPidsLimit(32).withBlockIoWeight(500).withHugepageLimit("2MB", 4L << 20)
            .withDevices(List.of(DeviceRule.denyAll(), DeviceRule.allow(DeviceRule.Type.CHAR, 1, 3, "rwm")));

    @Test
    void v1FilesAreWrittenInAnOrderTheKernelAccepts() {
        assertThat(V1Limits.writes(LIMITS, file -> true)).map(CgroupWrite::toString).containsExactly(
                "memory.limit_in_bytes=67108864", "memory.soft_limit_in_bytes=33554432",
                "memory.memsw.limit_in_bytes=134217728", "cpu.shares=512", "cpu.cfs_period_us=100000",
                "cpu.cfs_quota_us=50000", "cpuset.cpus=0-1", "cpuset.mems=0", "pids.max=32", "blkio.weight=500",
                "hugetlb.2MB.limit_in_bytes=4194304", "devices.deny=a", "devices.allow=c 1:3 rwm");
    }

    @Test
    void v1FallsBackToTheBfqWeightAndRefusesSwapWithoutSwapAccounting() {
        assertThat(V1Limits.writes(Resources.none().withBlockIoWeight(100), file -> false))
                .map(CgroupWrite::toString).containsExactly("blkio.bfq.weight=100");
        assertThatThrownBy(() -> V1Limits.writes(Resources.none().withMemoryLimit(1 << 20).withMemorySwap(2 << 20), file -> false))
                .hasMessageContaining("needs memory.memsw.limit_in_bytes, which this kernel lacks");
    }

    /** As runc: CFQ's files where the cgroup has blkio.weight, else BFQ's, which has no leaf weights. */
    @Test
    void blockIoWeightsGoToTheCfqFilesOrElseToBfqs() {
        Resources weights = Resources.none().withBlockIoWeight(333).withBlockIoLeafWeight(200)
                .withBlockIoDeviceWeight(new BlockIoDeviceWeight(7, 3, OptionalInt.of(444), OptionalInt.empty()))
                .withBlockIoDeviceWeight(new BlockIoDeviceWeight(8, 0, OptionalInt.empty(), OptionalInt.of(300)));

        assertThat(V1Limits.writes(weights, file -> true)).map(CgroupWrite::toString).containsExactly(
                "blkio.weight=333", "blkio.leaf_weight=200", "blkio.weight_device=7:3 444",
                "blkio.leaf_weight_device=8:0 300");
        assertThat(V1Limits.writes(weights, file -> !file.equals("blkio.weight"))).map(CgroupWrite::toString)
                .containsExactly("blkio.bfq.weight=333", "blkio.leaf_weight=200", "blkio.bfq.weight_device=7:3 444",
                        "blkio.leaf_weight_device=8:0 300");
        assertThatThrownBy(() -> new BlockIoDeviceWeight(7, 3, OptionalInt.of(5), OptionalInt.empty()))
                .hasMessage("block I/O weight of device 7:3 5 is not between 10 and 1000");
    }

    /** cgroup v2 takes a device's weight in io.bfq.weight, and has no leaf weights. */
    @Test
    void v2WritesDeviceWeightsToTheBfqFileAndRefusesLeafWeights() {
        Resources device = Resources.none().withBlockIoWeight(333)
                .withBlockIoDeviceWeight(new BlockIoDeviceWeight(7, 3, OptionalInt.of(444), OptionalInt.empty()));

        assertThat(V2Limits.writes(device, file -> true)).map(CgroupWrite::toString)
                .containsExactly("io.bfq.weight=333", "io.bfq.weight=7:3 444");
        assertThatThrownBy(() -> V2Limits.writes(device, file -> false))
                .hasMessage("the block I/O weight of device 7:3 needs io.bfq.weight, which this cgroup lacks"
                        + " (the BFQ I/O scheduler is not loaded)");
        assertThatThrownBy(() -> V2Limits.writes(Resources.none().withBlockIoLeafWeight(100), file -> true))
                .hasMessage("block I/O leaf weights need cgroup v1 (blkio.leaf_weight): cgroup v2 has none");
    }

    /** Settings only cgroup v1 has: written there after the limits, refused by name on v2. */
    @Test
    void swappinessAndTheOomKillerSwitchAreV1Files() {
        Resources memory = Resources.none().withMemoryLimit(1 << 20).withMemorySwappiness(10).withOomKillerDisabled();

        assertThat(V1Limits.writes(memory, file -> true)).map(CgroupWrite::toString).containsExactly(
                "memory.limit_in_bytes=1048576", "memory.swappiness=10", "memory.oom_control=1");
        assertThatThrownBy(() -> V2Limits.writes(Resources.none().withMemorySwappiness(10), file -> true))
                .hasMessage("memory swappiness needs cgroup v1 (memory.swappiness): cgroup v2 has none");
        assertThatThrownBy(() -> V2Limits.writes(Resources.none().withOomKillerDisabled(), file -> true))
                .hasMessageStartingWith("turning the OOM killer off needs cgroup v1 (memory.oom_control)");
        assertThatThrownBy(() -> Resources.none().withMemorySwappiness(101))
                .hasMessage("memory swappiness 101 is not between 0 and 100");
    }

    /** Real-time group scheduling: cgroup v1's cpu controller only, on kernels built with it. */
    @Test
    void theRealTimePeriodAndRuntimeAreV1FilesTheRuntimeAfterItsPeriod() {
        Resources realTime = Resources.none().withCpuRealtimeRuntime(500_001).withCpuRealtimePeriod(800_001)
                .withCpuPeriod(100_000);
        CgroupHierarchy cpu = new CgroupHierarchy(Path.of("/sys/fs/cgroup/cpu"), false, Set.of("cpu"), "");
        CgroupHierarchy memory = new CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false, Set.of("memory"), "");

        assertThat(V1Limits.writes(realTime, file -> true)).map(CgroupWrite::toString).containsExactly(
                "cpu.cfs_period_us=100000", "cpu.rt_period_us=800001", "cpu.rt_runtime_us=500001");
        assertThatThrownBy(() -> V1Limits.writes(realTime, file -> !file.startsWith("cpu.rt_")))
                .hasMessage("real-time CPU time needs cpu.rt_period_us, which this kernel lacks (it has no real-time"
                        + " group scheduling, CONFIG_RT_GROUP_SCHED)");
        new V1Driver(List.of(cpu), Optional.empty()).validate(realTime);
        assertThatThrownBy(() -> new V1Driver(List.of(memory), Optional.empty()).validate(realTime))
                .hasMessage("real-time CPU time needs a cgroup v1 cpu hierarchy, which this host does not have");
        assertThatThrownBy(() -> new V2Driver(new CgroupHierarchy(Path.of("/sys/fs/cgroup"), true, Set.of("cpu"), ""))
                .validate(Resources.none().withCpuRealtimeRuntime(-1)))
                .hasMessageStartingWith("real-time CPU time (cpu.rt_runtime_us, cpu.rt_period_us) needs a cgroup v1");
        assertThatThrownBy(() -> Resources.none().withCpuRealtimeRuntime(-2))
                .hasMessage("real-time cpu runtime -2µs must not be negative (or -1 for no limit)");
        assertThatThrownBy(() -> Resources.none().withCpuRealtimePeriod(0))
                .hasMessage("real-time cpu period 0µs must be positive");
    }

    @Test
    void v1DeviceEntriesFollowTheControllersSyntax() {
        assertThat(V1Limits.entries(new DeviceRule(true, DeviceRule.Type.ALL, DeviceRule.ANY, DeviceRule.ANY, "m")))
                .containsExactly("c *:* m", "b *:* m");
        assertThat(V1Limits.entries(DeviceRule.allow(DeviceRule.Type.CHAR, 136, DeviceRule.ANY, "rw")))
                .containsExactly("c 136:* rw");
    }

    @Test
    void v2FilesCarryTheValuesConvertedAsRuncConvertsThem() {
        assertThat(V2Limits.writes(LIMITS, file -> false)).map(CgroupWrite::toString).containsExactly(
                "memory.max=67108864", "memory.low=33554432", "memory.swap.max=67108864", "cpu.weight=20",
                "cpu.max=50000 100000", "cpuset.cpus=0-1", "cpuset.mems=0", "pids.max=32", "io.weight=4950",
                "hugetlb.2MB.max=4194304");
        assertThat(V2Limits.writes(Resources.none().withPidsLimit(-1).withCpuQuota(-1).withCpuPeriod(50_000), file -> true))
                .map(CgroupWrite::toString).containsExactly("cpu.max=max 50000", "pids.max=max");
        assertThat(V2Limits.weight(1024)).isEqualTo(39);
        assertThat(V2Limits.weight(262_144)).isEqualTo(10_000);
        assertThat(V2Limits.ioWeight(10)).isEqualTo(1);
    }

    @Test
    void filesSetDirectlyComeLastOnV2AndAreRefusedOnV1() {
        Resources unified = Resources.none().withMemoryLimit(1 << 20).withUnified("memory.max", "2M").withUnified("memory.high", "1M");
        assertThat(V2Limits.writes(unified, file -> true)).map(CgroupWrite::toString)
                .containsExactly("memory.max=1048576", "memory.max=2M", "memory.high=1M");
        CgroupHierarchy memory = new CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false, Set.of("memory"), "");
        assertThatThrownBy(() -> new V1Driver(List.of(memory), Optional.empty()).validate(unified))
                .hasMessage("invalid configuration: cgroup v2 files set directly (memory.max, memory.high) need a cgroup v2 host; this one uses cgroup v1");
        assertThatThrownBy(() -> Resources.none().withUnified("../etc/passwd", "x"))
                .hasMessage("invalid cgroup v2 file \"../etc/passwd\": expected CONTROLLER.NAME, e.g. memory.high");
    }

    @Test
    void probingAHybridHostFindsEachHierarchySystemdsNamedOneTooAndWhereThisProcessIs() {
        CgroupHost host = CgroupHost.parse(List.of(
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"), List.of(
                "4:memory:/user.slice/session-1.scope", "2:cpu,cpuacct:/", "1:name=systemd:/user.slice", "0::/user.slice"),
                Set.of("cpu", "cpuacct", "memory", "pids"));
        assertThat(host.v1()).containsExactly(
                new CgroupHierarchy(Path.of("/sys/fs/cgroup/cpu,cpuacct"), false, Set.of("cpu", "cpuacct"), ""),
                new CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false, Set.of("memory"), "user.slice/session-1.scope"),
                new CgroupHierarchy(Path.of("/sys/fs/cgroup/systemd"), false, Set.of("name=systemd"), "user.slice"));
        assertThat(host.unified()).map(CgroupHierarchy::ownPath).hasValue("user.slice");
        assertThat(host.driver().name()).isEqualTo("cgroup v1 (hybrid)");
    }

    @Test
    void probingListsTheHierarchiesMountedAtSysFsCgroupForAContainerToRepeat() {
        CgroupHost hybrid = CgroupHost.parse(List.of(
                "31 22 0:28 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/x,name=systemd",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw",
                "42 22 0:39 / /mnt/elsewhere rw - cgroup cgroup rw,memory"), List.of("0::/"), Set.of("cpu", "cpuacct"));
        assertThat(hybrid.mounted()).containsExactly(
                new CgroupMounts.Hierarchy("cpu,cpuacct", "cgroup", "cpu,cpuacct"),
                new CgroupMounts.Hierarchy("systemd", "cgroup", "xattr,name=systemd"),
                new CgroupMounts.Hierarchy("unified", "cgroup2", ""));
        CgroupHost unified = CgroupHost.parse(List.of("29 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"),
                List.of("0::/"), Set.of());
        assertThat(unified.mounted()).containsExactly(new CgroupMounts.Hierarchy("", "cgroup2", ""));
        assertThat(CgroupHost.parse(List.of(), List.of(), Set.of()).mounted()).isEmpty();
    }

    @Test
    void theHostIsProbedOncePerProcess() {
        CgroupHost probed = CgroupHost.probe();

        assertThat(CgroupHost.probe()).isSameAs(probed);
    }

    @Test
    void probingAUnifiedHostInsideACgroupNamespaceSeesTheSubtreeMounted() {
        CgroupHost host = CgroupHost.parse(List.of(
                "29 23 0:26 /ctr /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"),
                List.of("0::/ctr/app"), Set.of("memory"));
        assertThat(host.v1()).isEmpty();
        assertThat(host.unified()).map(CgroupHierarchy::ownDirectory).hasValue(Path.of("/sys/fs/cgroup/app"));
        assertThat(host.driver().name()).isEqualTo("cgroup v2");
    }

    @Test
    void cgroupsPathsAreAbsoluteFromTheRootOrRelativeToThisProcess() {
        CgroupHierarchy memory = new CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false, Set.of("memory"), "a/b");
        assertThat(CgroupPaths.directory(memory, "/x/y")).isEqualTo(Path.of("/sys/fs/cgroup/memory/x/y"));
        assertThat(CgroupPaths.directory(memory, "x")).isEqualTo(Path.of("/sys/fs/cgroup/memory/a/b/x"));
        assertThat(CgroupPaths.defaultPath()).matches("jrun-[0-9a-f]{12}");
        assertThatThrownBy(() -> CgroupPaths.validate("/a/../b")).hasMessage("cgroup path \"/a/../b\" must not contain . or ..");
        assertThatThrownBy(() -> CgroupPaths.validate("/")).hasMessage("cgroup path \"/\" names no cgroup");
    }

    @Test
    void aLimitNeedingAControllerTheHostLacksIsRefusedByName() {
        CgroupHierarchy memory = new CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false, Set.of("memory"), "");
        V1Driver driver = new V1Driver(List.of(memory), Optional.empty());
        assertThatThrownBy(() -> driver.validate(Resources.none().withPidsLimit(10)))
                .hasMessage("pids.max needs the pids cgroup controller, which this host does not have");
    }

    @Test
    void hugePageSizesAreNamedAsTheKernelNamesThem() {
        assertThat(HugePageSizes.name(2048)).isEqualTo("2MB");
        assertThat(HugePageSizes.name(1_048_576)).isEqualTo("1GB");
        assertThat(HugePageSizes.name(64)).isEqualTo("64KB");
    }
}
