package dev.jrun.internal.cgroup;

import dev.jrun.model.BlockIoDeviceWeight;
import dev.jrun.model.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The cgroup v2 files that apply {@link Resources}. v1 values are converted
 * the way runc converts them: cpu shares to a weight, memory+swap to swap
 * alone, a blkio weight to an io weight. Device rules are not files in v2
 * (see {@link DeviceFilter}).
 */
final class V2Limits {

    /** The prefix of the files every v2 cgroup has, whatever its controllers. */
    static final String CORE = "cgroup";
    private static final String MAX = "max";
    private static final String BFQ_WEIGHT = "io.bfq.weight";
    private static final long MAX_WEIGHT = 10_000;

    private V2Limits() {
    }

    /**
     * {@return the writes}
     *
     * @param hasFile whether the container's cgroup has a file whose presence depends on the kernel's configuration
     */
    static List<CgroupWrite> writes(Resources resources, Predicate<String> hasFile) {
        // cgroup v2 has neither file, and nothing to stand in for them.
        if (resources.memorySwappiness().isPresent()) {
            throw new IllegalArgumentException("memory swappiness needs cgroup v1 (memory.swappiness): cgroup v2 has none");
        }
        if (resources.oomKillerDisabled()) {
            throw new IllegalArgumentException("turning the OOM killer off needs cgroup v1 (memory.oom_control):"
                    + " cgroup v2 has no such switch");
        }
        List<CgroupWrite> writes = new ArrayList<>();
        resources.memoryLimit().ifPresent(v -> writes.add(new CgroupWrite("memory", "memory.max", limit(v))));
        resources.memoryReservation().ifPresent(v -> writes.add(new CgroupWrite("memory", "memory.low", limit(v))));
        resources.memorySwap().ifPresent(v -> {
            long memory = resources.memoryLimit().orElse(Resources.UNLIMITED);
            String swap = v == Resources.UNLIMITED || memory == Resources.UNLIMITED ? MAX : Long.toString(v - memory);
            writes.add(new CgroupWrite("memory", "memory.swap.max", swap));
        });
        resources.cpuShares().ifPresent(v -> writes.add(new CgroupWrite("cpu", "cpu.weight", Long.toString(weight(v)))));
        if (resources.cpuQuota().isPresent() || resources.cpuPeriod().isPresent()) {
            long quota = resources.cpuQuota().orElse(Resources.UNLIMITED);
            long period = resources.cpuPeriod().orElse(Resources.DEFAULT_CPU_PERIOD_MICROS);
            writes.add(new CgroupWrite("cpu", "cpu.max", limit(quota) + " " + period));
        }
        resources.cpusetCpus().ifPresent(v -> writes.add(new CgroupWrite("cpuset", "cpuset.cpus", v)));
        resources.cpusetMems().ifPresent(v -> writes.add(new CgroupWrite("cpuset", "cpuset.mems", v)));
        resources.pidsLimit().ifPresent(v -> writes.add(new CgroupWrite("pids", "pids.max", limit(v))));
        resources.blockIoWeight().ifPresent(v -> writes.add(hasFile.test(BFQ_WEIGHT)
                ? new CgroupWrite("io", BFQ_WEIGHT, Integer.toString(v))
                : new CgroupWrite("io", "io.weight", Long.toString(ioWeight(v)))));
        deviceWeights(resources, hasFile).forEach(writes::add);
        resources.hugepageLimits().forEach((size, v) ->
                writes.add(new CgroupWrite("hugetlb", "hugetlb." + size + ".max", Long.toString(v))));
        // Last, so a file set directly wins over one jrun derived.
        resources.unified().forEach((file, v) -> writes.add(new CgroupWrite(file.substring(0, file.indexOf('.')), file, v)));
        return writes;
    }

    /**
     * {@return the weights of single devices, which cgroup v2 takes in {@code io.bfq.weight} as
     * "MAJOR:MINOR WEIGHT"} Leaf weights have no v2 file.
     *
     * @throws IllegalArgumentException for a leaf weight, or a device weight in a cgroup without the BFQ scheduler's file
     */
    private static List<CgroupWrite> deviceWeights(Resources resources, Predicate<String> hasFile) {
        if (resources.blockIoLeafWeight().isPresent()
                || resources.blockIoDeviceWeights().stream().anyMatch(device -> device.leafWeight().isPresent())) {
            throw new IllegalArgumentException("block I/O leaf weights need cgroup v1 (blkio.leaf_weight): cgroup v2 has none");
        }
        List<CgroupWrite> writes = new ArrayList<>();
        for (BlockIoDeviceWeight device : resources.blockIoDeviceWeights()) {
            if (!hasFile.test(BFQ_WEIGHT)) {
                throw new IllegalArgumentException("the block I/O weight of device " + device.device() + " needs "
                        + BFQ_WEIGHT + ", which this cgroup lacks (the BFQ I/O scheduler is not loaded)");
            }
            device.weight().ifPresent(v -> writes.add(new CgroupWrite("io", BFQ_WEIGHT, device.device() + " " + v)));
        }
        return writes;
    }

    /** {@return cpu shares (2..262144) as a cgroup v2 weight (1..10000)} */
    static long weight(long shares) {
        return 1 + ((shares - Resources.MIN_CPU_SHARES) * (MAX_WEIGHT - 1)) / (Resources.MAX_CPU_SHARES - Resources.MIN_CPU_SHARES);
    }

    /** {@return a blkio weight (10..1000) as an io weight (1..10000)} */
    static long ioWeight(int blkioWeight) {
        return 1 + ((long) (blkioWeight - Resources.MIN_BLKIO_WEIGHT) * (MAX_WEIGHT - 1))
                / (Resources.MAX_BLKIO_WEIGHT - Resources.MIN_BLKIO_WEIGHT);
    }

    private static String limit(long value) {
        return value == Resources.UNLIMITED ? MAX : Long.toString(value);
    }
}
