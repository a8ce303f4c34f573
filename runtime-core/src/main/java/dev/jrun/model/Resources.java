package dev.jrun.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The resource limits of a container's cgroup (OCI {@code linux.resources}),
 * with the OCI spec's names and units: bytes, microseconds, counts. Immutable;
 * every {@code with} method validates its argument and returns a new value.
 *
 * <pre>{@code
 * Resources.none()
 *         .withMemoryLimit(32L << 20)      // 32 MiB
 *         .withPidsLimit(64)
 *         .withCpus(0.5)                   // half a core: quota 50000 µs per 100000 µs period
 * }</pre>
 *
 * <p>jrun applies them with the cgroup v1 or v2 driver it finds on the host
 * (cpu shares become a v2 weight, a block I/O weight an io weight, as runc
 * converts them).
 */
public final class Resources {

    /** The value meaning "no limit" for memory, swap, pids and cpu quota, as in the OCI spec. */
    public static final long UNLIMITED = -1;
    /** The kernel's smallest CFS quota and period: 1 ms. */
    public static final long MIN_CPU_MICROS = 1_000;
    /** The kernel's largest CFS period: 1 s. */
    public static final long MAX_CPU_PERIOD_MICROS = 1_000_000;
    /** The CFS period {@link #withCpus(double)} uses, as Docker does. */
    public static final long DEFAULT_CPU_PERIOD_MICROS = 100_000;
    /** The range of cgroup v1 cpu shares the kernel keeps (it clamps other values silently). */
    public static final long MIN_CPU_SHARES = 2;
    /** The largest cgroup v1 cpu shares. */
    public static final long MAX_CPU_SHARES = 262_144;
    /** The range of a block I/O weight (cgroup v1 blkio.weight). */
    public static final int MIN_BLKIO_WEIGHT = 10;
    /** The largest block I/O weight. */
    public static final int MAX_BLKIO_WEIGHT = 1000;
    /** The largest memory swappiness (cgroup v1 memory.swappiness). */
    public static final int MAX_SWAPPINESS = 100;

    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    private static final Pattern PAGE_SIZE = Pattern.compile("\\d+(KB|MB|GB)");
    private static final Pattern CGROUP_FILE = Pattern.compile("[a-z0-9_]+\\.[A-Za-z0-9_.]+");

    private OptionalLong memoryLimit = OptionalLong.empty();
    private OptionalLong memoryReservation = OptionalLong.empty();
    private OptionalLong memorySwap = OptionalLong.empty();
    private OptionalInt memorySwappiness = OptionalInt.empty();
    private boolean oomKillerDisabled;
    private OptionalLong cpuShares = OptionalLong.empty();
    private OptionalLong cpuQuota = OptionalLong.empty();
    private OptionalLong cpuPeriod = OptionalLong.empty();
    private OptionalLong cpuRealtimeRuntime = OptionalLong.empty();
    private OptionalLong cpuRealtimePeriod = OptionalLong.empty();
    private Optional<String> cpusetCpus = Optional.empty();
    private Optional<String> cpusetMems = Optional.empty();
    private OptionalLong pidsLimit = OptionalLong.empty();
    private OptionalInt blockIoWeight = OptionalInt.empty();
    private OptionalInt blockIoLeafWeight = OptionalInt.empty();
    private List<BlockIoDeviceWeight> blockIoDeviceWeights = List.of();
    private Map<String, Long> hugepageLimits = Map.of();
    private Map<String, String> unified = Map.of();
    private List<DeviceRule> devices = List.of();

    private Resources() {
    }

    private Resources copy() {
        Resources copy = new Resources();
        copy.memoryLimit = memoryLimit;
        copy.memoryReservation = memoryReservation;
        copy.memorySwap = memorySwap;
        copy.memorySwappiness = memorySwappiness;
        copy.oomKillerDisabled = oomKillerDisabled;
        copy.cpuShares = cpuShares;
        copy.cpuQuota = cpuQuota;
        copy.cpuPeriod = cpuPeriod;
        copy.cpuRealtimeRuntime = cpuRealtimeRuntime;
        copy.cpuRealtimePeriod = cpuRealtimePeriod;
        copy.cpusetCpus = cpusetCpus;
        copy.cpusetMems = cpusetMems;
        copy.pidsLimit = pidsLimit;
        copy.blockIoWeight = blockIoWeight;
        copy.blockIoLeafWeight = blockIoLeafWeight;
        copy.blockIoDeviceWeights = blockIoDeviceWeights;
        copy.hugepageLimits = hugepageLimits;
        copy.unified = unified;
        copy.devices = devices;
        return copy;
    }

    /** {@return no limits and no device rules} */
    public static Resources none() {
        return new Resources();
    }

    /**
     * {@return no limits, and the device rules of {@link DeviceRule#containerDefaults()}: what
     * {@code jrun run} gives}
     */
    public static Resources containerDefaults() {
        return none().withDevices(DeviceRule.containerDefaults());
    }

    /** {@return these resources with a memory limit in bytes (OCI {@code memory.limit}), or {@link #UNLIMITED}} */
    public Resources withMemoryLimit(long bytes) {
        requirePositiveOrUnlimited("memory limit", bytes);
        Resources copy = copy();
        copy.memoryLimit = OptionalLong.of(bytes);
        return copy;
    }

    /** {@return these resources with a soft memory limit in bytes (OCI {@code memory.reservation})} */
    public Resources withMemoryReservation(long bytes) {
        requirePositiveOrUnlimited("memory reservation", bytes);
        Resources copy = copy();
        copy.memoryReservation = OptionalLong.of(bytes);
        return copy;
    }

    /**
     * {@return these resources with a limit on memory plus swap in bytes (OCI {@code memory.swap}), or
     * {@link #UNLIMITED}; it must not be below the memory limit}
     */
    public Resources withMemorySwap(long bytes) {
        requirePositiveOrUnlimited("memory+swap limit", bytes);
        Resources copy = copy();
        copy.memorySwap = OptionalLong.of(bytes);
        return copy;
    }

    /**
     * {@return these resources with the kernel's tendency to swap the container's memory (OCI
     * {@code memory.swappiness}), 0 to 100; a cgroup v1 setting}
     */
    public Resources withMemorySwappiness(long swappiness) {
        if (swappiness < 0 || swappiness > MAX_SWAPPINESS) {
            throw new IllegalArgumentException("memory swappiness " + swappiness + " is not between 0 and "
                    + MAX_SWAPPINESS);
        }
        Resources copy = copy();
        copy.memorySwappiness = OptionalInt.of((int) swappiness);
        return copy;
    }

    /**
     * {@return these resources with the OOM killer off for the container (OCI {@code
     * memory.disableOOMKiller}): at its memory limit a process waits for memory instead of being
     * killed; a cgroup v1 setting}
     */
    public Resources withOomKillerDisabled() {
        Resources copy = copy();
        copy.oomKillerDisabled = true;
        return copy;
    }

    /** {@return these resources with a relative CPU weight (OCI {@code cpu.shares}), 2 to 262144; 1024 is the default} */
    public Resources withCpuShares(long shares) {
        if (shares < MIN_CPU_SHARES || shares > MAX_CPU_SHARES) {
            throw new IllegalArgumentException("cpu shares " + shares + " are not between " + MIN_CPU_SHARES
                    + " and " + MAX_CPU_SHARES + ", the range the kernel keeps");
        }
        Resources copy = copy();
        copy.cpuShares = OptionalLong.of(shares);
        return copy;
    }

    /**
     * {@return these resources with a CPU time quota in microseconds per period (OCI {@code cpu.quota}),
     * at least 1000, or {@link #UNLIMITED}}
     */
    public Resources withCpuQuota(long micros) {
        if (micros != UNLIMITED && micros < MIN_CPU_MICROS) {
            throw new IllegalArgumentException("cpu quota " + micros + "µs is below the kernel's minimum of "
                    + MIN_CPU_MICROS + "µs (1 ms)");
        }
        Resources copy = copy();
        copy.cpuQuota = OptionalLong.of(micros);
        return copy;
    }

    /** {@return these resources with a CPU quota period in microseconds (OCI {@code cpu.period}), 1000 to 1000000} */
    public Resources withCpuPeriod(long micros) {
        if (micros < MIN_CPU_MICROS || micros > MAX_CPU_PERIOD_MICROS) {
            throw new IllegalArgumentException("cpu period " + micros + "µs is not between the kernel's "
                    + MIN_CPU_MICROS + "µs and " + MAX_CPU_PERIOD_MICROS + "µs");
        }
        Resources copy = copy();
        copy.cpuPeriod = OptionalLong.of(micros);
        return copy;
    }

    /**
     * {@return these resources limited to {@code cores} CPUs' worth of time, as {@code docker run --cpus}:
     * a quota of cores × 100000 µs per 100000 µs period}
     */
    public Resources withCpus(double cores) {
        if (!(cores > 0)) {
            throw new IllegalArgumentException("cpus " + cores + " must be more than 0");
        }
        return withCpuPeriod(DEFAULT_CPU_PERIOD_MICROS).withCpuQuota(Math.round(cores * DEFAULT_CPU_PERIOD_MICROS));
    }

    /**
     * {@return these resources with the CPU time the container's real-time tasks may take per
     * real-time period, in microseconds (OCI {@code cpu.realtimeRuntime}), or {@link #UNLIMITED}}
     * Real-time group scheduling is cgroup v1's only, on kernels built with it; the kernel keeps the
     * runtime at or below the period and within what the parent cgroup has left.
     */
    public Resources withCpuRealtimeRuntime(long micros) {
        if (micros < UNLIMITED) {
            throw new IllegalArgumentException("real-time cpu runtime " + micros + "µs must not be negative (or "
                    + UNLIMITED + " for no limit)");
        }
        Resources copy = copy();
        copy.cpuRealtimeRuntime = OptionalLong.of(micros);
        return copy;
    }

    /**
     * {@return these resources with the period the real-time runtime is a share of, in microseconds
     * (OCI {@code cpu.realtimePeriod}); cgroup v1 only, as {@link #withCpuRealtimeRuntime(long)}}
     */
    public Resources withCpuRealtimePeriod(long micros) {
        if (micros < 1) {
            throw new IllegalArgumentException("real-time cpu period " + micros + "µs must be positive");
        }
        Resources copy = copy();
        copy.cpuRealtimePeriod = OptionalLong.of(micros);
        return copy;
    }

    /** {@return these resources with the CPUs the container may run on (OCI {@code cpu.cpus}), e.g. {@code 0-1,3}} */
    public Resources withCpusetCpus(String cpus) {
        requireCpuList("cpuset cpus", cpus);
        Resources copy = copy();
        copy.cpusetCpus = Optional.of(cpus);
        return copy;
    }

    /** {@return these resources with the memory nodes the container may use (OCI {@code cpu.mems}), e.g. {@code 0}} */
    public Resources withCpusetMems(String mems) {
        requireCpuList("cpuset mems", mems);
        Resources copy = copy();
        copy.cpusetMems = Optional.of(mems);
        return copy;
    }

    /** {@return these resources with a limit on the number of tasks (OCI {@code pids.limit}), or {@link #UNLIMITED}} */
    public Resources withPidsLimit(long limit) {
        requirePositiveOrUnlimited("pids limit", limit);
        Resources copy = copy();
        copy.pidsLimit = OptionalLong.of(limit);
        return copy;
    }

    /** {@return these resources with a relative block I/O weight (OCI {@code blockIO.weight}), 10 to 1000} */
    public Resources withBlockIoWeight(int weight) {
        requireBlockIoWeight("block I/O weight", weight);
        Resources copy = copy();
        copy.blockIoWeight = OptionalInt.of(weight);
        return copy;
    }

    /**
     * {@return these resources with a block I/O leaf weight (OCI {@code blockIO.leafWeight}), 10 to
     * 1000: the share of the cgroup's own processes against its child cgroups (cgroup v1 with the CFQ
     * scheduler only)}
     */
    public Resources withBlockIoLeafWeight(int weight) {
        requireBlockIoWeight("block I/O leaf weight", weight);
        Resources copy = copy();
        copy.blockIoLeafWeight = OptionalInt.of(weight);
        return copy;
    }

    /** {@return these resources with the block I/O weights of one more device (OCI {@code blockIO.weightDevice})} */
    public Resources withBlockIoDeviceWeight(BlockIoDeviceWeight weights) {
        Resources copy = copy();
        List<BlockIoDeviceWeight> all = new ArrayList<>(blockIoDeviceWeights);
        all.add(Objects.requireNonNull(weights));
        copy.blockIoDeviceWeights = List.copyOf(all);
        return copy;
    }

    /** Checks that a block I/O weight is in the kernel's range; {@code what} names it in the error. */
    static void requireBlockIoWeight(String what, int weight) {
        if (weight < MIN_BLKIO_WEIGHT || weight > MAX_BLKIO_WEIGHT) {
            throw new IllegalArgumentException(what + " " + weight + " is not between "
                    + MIN_BLKIO_WEIGHT + " and " + MAX_BLKIO_WEIGHT);
        }
    }

    /**
     * {@return these resources with a limit on huge pages of one size (OCI {@code hugepageLimits})}
     *
     * @param pageSize the page size as the kernel names it in cgroup files: {@code 2MB}, {@code 1GB}
     * @param bytes    the limit in bytes
     */
    public Resources withHugepageLimit(String pageSize, long bytes) {
        if (!PAGE_SIZE.matcher(pageSize).matches()) {
            throw new IllegalArgumentException("invalid huge page size \"" + pageSize + "\": use the kernel's names, e.g. 2MB or 1GB");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("huge page limit " + bytes + " for " + pageSize + " is negative");
        }
        Resources copy = copy();
        Map<String, Long> limits = new LinkedHashMap<>(hugepageLimits);
        limits.put(pageSize, bytes);
        copy.hugepageLimits = Collections.unmodifiableMap(limits);
        return copy;
    }

    /**
     * {@return these resources with a cgroup v2 file set directly (OCI {@code unified}), e.g.
     * {@code memory.high} to {@code 50M}; only a cgroup v2 host can apply it}
     */
    public Resources withUnified(String file, String value) {
        if (!CGROUP_FILE.matcher(file).matches()) {
            throw new IllegalArgumentException("invalid cgroup v2 file \"" + file + "\": expected CONTROLLER.NAME, e.g. memory.high");
        }
        Resources copy = copy();
        Map<String, String> files = new LinkedHashMap<>(unified);
        files.put(file, Objects.requireNonNull(value));
        copy.unified = Collections.unmodifiableMap(files);
        return copy;
    }

    /** {@return these resources with this device access list (OCI {@code devices}) instead of the current one} */
    public Resources withDevices(List<DeviceRule> rules) {
        Resources copy = copy();
        copy.devices = List.copyOf(rules);
        return copy;
    }

    /** {@return these resources with one more device access rule, applied after the others} */
    public Resources withDevice(DeviceRule rule) {
        List<DeviceRule> rules = new ArrayList<>(devices);
        rules.add(Objects.requireNonNull(rule));
        return withDevices(rules);
    }

    /** {@return the memory limit in bytes} */
    public OptionalLong memoryLimit() {
        return memoryLimit;
    }

    /** {@return the soft memory limit in bytes} */
    public OptionalLong memoryReservation() {
        return memoryReservation;
    }

    /** {@return the memory plus swap limit in bytes} */
    public OptionalLong memorySwap() {
        return memorySwap;
    }

    /** {@return the memory swappiness} */
    public OptionalInt memorySwappiness() {
        return memorySwappiness;
    }

    /** {@return whether the OOM killer is off for the container} */
    public boolean oomKillerDisabled() {
        return oomKillerDisabled;
    }

    /** {@return the relative CPU weight} */
    public OptionalLong cpuShares() {
        return cpuShares;
    }

    /** {@return the CPU quota in microseconds per period} */
    public OptionalLong cpuQuota() {
        return cpuQuota;
    }

    /** {@return the CPU quota period in microseconds} */
    public OptionalLong cpuPeriod() {
        return cpuPeriod;
    }

    /** {@return the real-time CPU runtime in microseconds per real-time period} */
    public OptionalLong cpuRealtimeRuntime() {
        return cpuRealtimeRuntime;
    }

    /** {@return the real-time period in microseconds} */
    public OptionalLong cpuRealtimePeriod() {
        return cpuRealtimePeriod;
    }

    /** {@return the CPUs the container may run on} */
    public Optional<String> cpusetCpus() {
        return cpusetCpus;
    }

    /** {@return the memory nodes the container may use} */
    public Optional<String> cpusetMems() {
        return cpusetMems;
    }

    /** {@return the task limit} */
    public OptionalLong pidsLimit() {
        return pidsLimit;
    }

    /** {@return the block I/O weight} */
    public OptionalInt blockIoWeight() {
        return blockIoWeight;
    }

    /** {@return the block I/O leaf weight} */
    public OptionalInt blockIoLeafWeight() {
        return blockIoLeafWeight;
    }

    /** {@return the block I/O weights of single devices, in order} */
    public List<BlockIoDeviceWeight> blockIoDeviceWeights() {
        return blockIoDeviceWeights;
    }

    /** {@return the huge page limits in bytes, by page size} */
    public Map<String, Long> hugepageLimits() {
        return hugepageLimits;
    }

    /** {@return the cgroup v2 files set directly, by name} */
    public Map<String, String> unified() {
        return unified;
    }

    /** {@return the device access list, in order} */
    public List<DeviceRule> devices() {
        return devices;
    }

    /** {@return whether any limit is set (device rules do not count)} */
    public boolean limitsAnything() {
        return memoryLimit.isPresent() || memoryReservation.isPresent() || memorySwap.isPresent()
                || memorySwappiness.isPresent() || oomKillerDisabled
                || cpuShares.isPresent() || cpuQuota.isPresent() || cpuPeriod.isPresent()
                || cpuRealtimeRuntime.isPresent() || cpuRealtimePeriod.isPresent()
                || cpusetCpus.isPresent() || cpusetMems.isPresent() || pidsLimit.isPresent()
                || blockIoWeight.isPresent() || blockIoLeafWeight.isPresent() || !blockIoDeviceWeights.isEmpty()
                || !hugepageLimits.isEmpty() || !unified.isEmpty();
    }

    /**
     * Checks the limits against each other, as the kernel would when they are written.
     *
     * @throws IllegalArgumentException naming the limits that contradict each other
     */
    public void validate() {
        if (memorySwap.isPresent() && memorySwap.getAsLong() != UNLIMITED) {
            long limit = memoryLimit.orElse(UNLIMITED);
            if (limit == UNLIMITED || memorySwap.getAsLong() < limit) {
                throw new IllegalArgumentException("memory+swap limit " + memorySwap.getAsLong()
                        + " needs a memory limit no larger than it (memory limit: "
                        + (limit == UNLIMITED ? "none" : limit) + ")");
            }
        }
        if (memoryReservation.isPresent() && memoryLimit.isPresent() && memoryLimit.getAsLong() != UNLIMITED
                && memoryReservation.getAsLong() > memoryLimit.getAsLong()) {
            throw new IllegalArgumentException("memory reservation " + memoryReservation.getAsLong()
                    + " is above the memory limit " + memoryLimit.getAsLong());
        }
        if (cpuQuota.isPresent() && cpuQuota.getAsLong() != UNLIMITED && cpuPeriod.isEmpty()) {
            throw new IllegalArgumentException("a cpu quota needs a cpu period to be a share of");
        }
    }

    private static void requirePositiveOrUnlimited(String what, long value) {
        if (value != UNLIMITED && value < 1) {
            throw new IllegalArgumentException(what + " " + value + " must be positive (or " + UNLIMITED + " for no limit)");
        }
    }

    private static void requireCpuList(String what, String list) {
        if (!CPU_LIST.matcher(list).matches()) {
            throw new IllegalArgumentException("invalid " + what + " \"" + list + "\": use numbers and ranges, e.g. 0-2,4");
        }
    }

    private List<Object> fields() {
        return List.of(memoryLimit, memoryReservation, memorySwap, memorySwappiness, oomKillerDisabled, cpuShares,
                cpuQuota, cpuPeriod, cpuRealtimeRuntime, cpuRealtimePeriod, cpusetCpus, cpusetMems, pidsLimit,
                blockIoWeight, blockIoLeafWeight, blockIoDeviceWeights, hugepageLimits, unified, devices);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Resources that && fields().equals(that.fields());
    }

    @Override
    public int hashCode() {
        return fields().hashCode();
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        memoryLimit.ifPresent(v -> parts.add("memory=" + v));
        memoryReservation.ifPresent(v -> parts.add("memoryReservation=" + v));
        memorySwap.ifPresent(v -> parts.add("memorySwap=" + v));
        memorySwappiness.ifPresent(v -> parts.add("memorySwappiness=" + v));
        if (oomKillerDisabled) {
            parts.add("oomKillerDisabled");
        }
        cpuShares.ifPresent(v -> parts.add("cpuShares=" + v));
        cpuQuota.ifPresent(v -> parts.add("cpuQuota=" + v));
        cpuPeriod.ifPresent(v -> parts.add("cpuPeriod=" + v));
        cpuRealtimeRuntime.ifPresent(v -> parts.add("cpuRealtimeRuntime=" + v));
        cpuRealtimePeriod.ifPresent(v -> parts.add("cpuRealtimePeriod=" + v));
        cpusetCpus.ifPresent(v -> parts.add("cpusetCpus=" + v));
        cpusetMems.ifPresent(v -> parts.add("cpusetMems=" + v));
        pidsLimit.ifPresent(v -> parts.add("pids=" + v));
        blockIoWeight.ifPresent(v -> parts.add("blockIoWeight=" + v));
        blockIoLeafWeight.ifPresent(v -> parts.add("blockIoLeafWeight=" + v));
        if (!blockIoDeviceWeights.isEmpty()) {
            parts.add("blockIoDeviceWeights=" + blockIoDeviceWeights);
        }
        hugepageLimits.forEach((size, v) -> parts.add("hugepages" + size + "=" + v));
        unified.forEach((file, v) -> parts.add(file + "=" + v));
        if (!devices.isEmpty()) {
            parts.add("devices=" + devices);
        }
        return "Resources" + parts;
    }
}
