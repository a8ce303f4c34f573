package dev.jrun.internal.cgroup;

import dev.jrun.model.BlockIoDeviceWeight;
import dev.jrun.model.DeviceRule;
import dev.jrun.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The cgroup v1 files that apply {@link Resources}, in the order they must be written. */
final class V1Limits {

    static final String MEMSW = "memory.memsw.limit_in_bytes";
    static final String CFS_PERIOD = "cpu.cfs_period_us";
    static final String CFS_QUOTA = "cpu.cfs_quota_us";
    static final String RT_PERIOD = "cpu.rt_period_us";
    static final String RT_RUNTIME = "cpu.rt_runtime_us";
    private static final String BLKIO_WEIGHT = "blkio.weight";

    private V1Limits() {
    }

    /**
     * {@return the writes}
     *
     * @param hasFile whether the container's cgroup has a file whose presence depends on the
     *                kernel's configuration (swap accounting, the blkio scheduler, real-time group scheduling)
     * @throws IllegalArgumentException when a limit needs a file the kernel lacks
     */
    static List<CgroupWrite> writes(Resources resources, Predicate<String> hasFile) {
        List<CgroupWrite> writes = new ArrayList<>();
        // The memory limit first: memory+swap may never be below it.
        resources.memoryLimit().ifPresent(v -> writes.add(new CgroupWrite("memory", "memory.limit_in_bytes", Long.toString(v))));
        resources.memoryReservation().ifPresent(v ->
                writes.add(new CgroupWrite("memory", "memory.soft_limit_in_bytes", Long.toString(v))));
        resources.memorySwap().ifPresent(v -> {
            if (!hasFile.test(MEMSW)) {
                throw new IllegalArgumentException("a memory+swap limit needs " + MEMSW
                        + ", which this kernel lacks (swap accounting is off)");
            }
            writes.add(new CgroupWrite("memory", MEMSW, Long.toString(v)));
        });
        resources.memorySwappiness().ifPresent(v ->
                writes.add(new CgroupWrite("memory", "memory.swappiness", Integer.toString(v))));
        if (resources.oomKillerDisabled()) {
            writes.add(new CgroupWrite("memory", "memory.oom_control", "1"));
        }
        resources.cpuShares().ifPresent(v -> writes.add(new CgroupWrite("cpu", "cpu.shares", Long.toString(v))));
        // The period before the quota, which is a share of it.
        resources.cpuPeriod().ifPresent(v -> writes.add(new CgroupWrite("cpu", CFS_PERIOD, Long.toString(v))));
        resources.cpuQuota().ifPresent(v -> writes.add(new CgroupWrite("cpu", CFS_QUOTA, Long.toString(v))));
        // Likewise the real-time period before its runtime.
        resources.cpuRealtimePeriod().ifPresent(v -> writes.add(realTime(RT_PERIOD, v, hasFile)));
        resources.cpuRealtimeRuntime().ifPresent(v -> writes.add(realTime(RT_RUNTIME, v, hasFile)));
        resources.cpusetCpus().ifPresent(v -> writes.add(new CgroupWrite("cpuset", "cpuset.cpus", v)));
        resources.cpusetMems().ifPresent(v -> writes.add(new CgroupWrite("cpuset", "cpuset.mems", v)));
        resources.pidsLimit().ifPresent(v ->
                writes.add(new CgroupWrite("pids", "pids.max", v == Resources.UNLIMITED ? "max" : Long.toString(v))));
        blockIo(resources, hasFile, writes);
        resources.hugepageLimits().forEach((size, v) ->
                writes.add(new CgroupWrite("hugetlb", "hugetlb." + size + ".limit_in_bytes", Long.toString(v))));
        for (DeviceRule rule : resources.devices()) {
            String file = rule.allow() ? "devices.allow" : "devices.deny";
            entries(rule).forEach(entry -> writes.add(new CgroupWrite("devices", file, entry)));
        }
        return writes;
    }

    /**
     * The block I/O weights, as runc writes them: the CFQ scheduler's files where the cgroup has
     * them, else BFQ's ({@code blkio.bfq.weight}, whose {@code weight_device} file shows the weight
     * as "default N"); leaf weights are CFQ's alone.
     */
    private static void blockIo(Resources resources, Predicate<String> hasFile, List<CgroupWrite> writes) {
        boolean cfq = hasFile.test(BLKIO_WEIGHT);
        String weight = cfq ? BLKIO_WEIGHT : "blkio.bfq.weight";
        String deviceWeight = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
        resources.blockIoWeight().ifPresent(v -> writes.add(new CgroupWrite("blkio", weight, Integer.toString(v))));
        resources.blockIoLeafWeight().ifPresent(v ->
                writes.add(new CgroupWrite("blkio", "blkio.leaf_weight", Integer.toString(v))));
        for (BlockIoDeviceWeight device : resources.blockIoDeviceWeights()) {
            device.weight().ifPresent(v -> writes.add(new CgroupWrite("blkio", deviceWeight, device.device() + " " + v)));
            device.leafWeight().ifPresent(v ->
                    writes.add(new CgroupWrite("blkio", "blkio.leaf_weight_device", device.device() + " " + v)));
        }
    }

    private static CgroupWrite realTime(String file, long value, Predicate<String> hasFile) {
        if (!hasFile.test(file)) {
            throw new IllegalArgumentException("real-time CPU time needs " + file + ", which this kernel lacks"
                    + " (it has no real-time group scheduling, CONFIG_RT_GROUP_SCHED)");
        }
        return new CgroupWrite("cpu", file, Long.toString(value));
    }

    /** {@return the rule as the devices controller takes it: {@code a} for everything, else lines like {@code c 1:3 rwm}} */
    static List<String> entries(DeviceRule rule) {
        if (rule.type() == DeviceRule.Type.ALL) {
            return rule.access().length() == 3 ? List.of("a")
                    : List.of(entry('c', DeviceRule.ANY, DeviceRule.ANY, rule.access()),
                    entry('b', DeviceRule.ANY, DeviceRule.ANY, rule.access()));
        }
        return List.of(entry(rule.type().letter(), rule.major(), rule.minor(), rule.access()));
    }

    private static String entry(char type, long major, long minor, String access) {
        return type + " " + number(major) + ":" + number(minor) + " " + access;
    }

    private static String number(long n) {
        return n == DeviceRule.ANY ? "*" : Long.toString(n);
    }
}
