package dev.jrun.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot of what a container's cgroup has used, read from the cgroup's
 * own statistics files. Each part is empty when the host lacks its controller.
 *
 * @param cpu    CPU time and throttling
 * @param memory memory use
 * @param pids   task count
 */
public record ResourceStats(Optional<Cpu> cpu, Optional<Memory> memory, Optional<Pids> pids) {

    /**
     * CPU time used, in nanoseconds.
     *
     * @param usageNanos       total CPU time
     * @param userNanos        time in user mode
     * @param systemNanos      time in the kernel
     * @param periods          CFS quota periods that have passed while the cgroup ran
     * @param throttledPeriods periods in which the cgroup used up its quota
     * @param throttledNanos   time the cgroup was held back by its quota
     */
    public record Cpu(long usageNanos, long userNanos, long systemNanos, long periods, long throttledPeriods,
                      long throttledNanos) {
    }

    /**
     * Memory used, in bytes.
     *
     * @param usageBytes    current use
     * @param maxUsageBytes the highest use seen
     * @param limitBytes    the limit, empty when there is none
     * @param oomKills      processes the kernel's OOM killer ended in the cgroup
     */
    public record Memory(long usageBytes, long maxUsageBytes, OptionalLong limitBytes, long oomKills) {
    }

    /**
     * Tasks (processes and threads).
     *
     * @param current how many there are
     * @param limit   the limit, empty when there is none
     * @param refused forks refused because the limit was reached
     */
    public record Pids(long current, OptionalLong limit, long refused) {
    }
}
