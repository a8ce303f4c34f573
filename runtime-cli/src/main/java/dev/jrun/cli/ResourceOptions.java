package dev.jrun.cli;

import dev.jrun.Container;
import dev.jrun.model.Resources;
import picocli.CommandLine.Option;

/** {@code jrun run}'s resource limit options, applied to the container's cgroup. */
final class ResourceOptions {

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory limit, e.g. 32m (units b, k, m, g); the container is OOM-killed above it.")
    private Long memory;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Soft memory limit, reclaimed first under memory pressure.")
    private Long memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory plus swap limit (-1: unlimited swap).")
    private Long memorySwap;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most tasks (processes and threads) at once (-1: unlimited).")
    private Long pidsLimit;

    @Option(names = "--cpus", paramLabel = "CPUS", description = "CPU time limit in cores, e.g. 0.5 (a CFS quota per 100 ms period).")
    private Double cpus;

    @Option(names = "--cpu-shares", paramLabel = "N", description = "Relative CPU weight (default 1024).")
    private Long cpuShares;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs to run on, e.g. 0-1,3.")
    private String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes to use, e.g. 0.")
    private String cpusetMems;

    @Option(names = "--blkio-weight", paramLabel = "N", description = "Relative block I/O weight, 10 to 1000.")
    private Integer blkioWeight;

    @Option(names = "--cgroup-path", paramLabel = "PATH",
            description = "The container's cgroup: absolute from the hierarchy's root, or relative to jrun's own"
                    + " cgroup (default: jrun-<random> below jrun's own).")
    private String cgroupPath;

    /** Applies the options given to the builder. */
    void applyTo(Container.Builder builder) {
        Resources resources = Resources.containerDefaults();
        if (memory != null) {
            resources = resources.withMemoryLimit(memory);
        }
        if (memoryReservation != null) {
            resources = resources.withMemoryReservation(memoryReservation);
        }
        if (memorySwap != null) {
            resources = resources.withMemorySwap(memorySwap);
        }
        if (pidsLimit != null) {
            resources = resources.withPidsLimit(pidsLimit);
        }
        if (cpus != null) {
            resources = resources.withCpus(cpus);
        }
        if (cpuShares != null) {
            resources = resources.withCpuShares(cpuShares);
        }
        if (cpusetCpus != null) {
            resources = resources.withCpusetCpus(cpusetCpus);
        }
        if (cpusetMems != null) {
            resources = resources.withCpusetMems(cpusetMems);
        }
        if (blkioWeight != null) {
            resources = resources.withBlockIoWeight(blkioWeight);
        }
        builder.resources(resources);
        if (cgroupPath != null) {
            builder.cgroupPath(cgroupPath);
        }
    }
}
