package dev.jrun.model;

import dev.jrun.bindings.Libc;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The CPU scheduling policy and its parameters for a container's command (OCI
 * {@code process.scheduler}), set with {@code sched_setattr(2)} before {@code execve}. The rules the
 * kernel would refuse with a bare EINVAL are checked here, by name.
 *
 * @param policy   the policy
 * @param nice     the nice value, -20 to 19, which {@link Policy#OTHER} and {@link Policy#BATCH} use
 * @param priority the static priority of {@link Policy#FIFO} and {@link Policy#RR}, 1 to 99; 0 for the others
 * @param flags    how the policy behaves
 * @param runtime  {@link Policy#DEADLINE}'s runtime per period, nanoseconds; 0 for the others
 * @param deadline {@link Policy#DEADLINE}'s relative deadline, nanoseconds; 0 for the others
 * @param period   {@link Policy#DEADLINE}'s period, nanoseconds; 0 for the others
 */
public record Scheduler(Policy policy, int nice, int priority, Set<Flag> flags, long runtime, long deadline,
                        long period) {

    private static final int MIN_NICE = -20;
    private static final int MAX_NICE = 19;
    private static final int MIN_REAL_TIME_PRIORITY = 1;
    private static final int MAX_REAL_TIME_PRIORITY = 99;

    /** A scheduling policy; the numbers come from the generated {@code <sched.h>} bindings. */
    public enum Policy {
        /** The default time-sharing policy ({@code SCHED_OTHER}). */
        OTHER(Libc.SCHED_OTHER()),
        /** Real time, first in first out ({@code SCHED_FIFO}). */
        FIFO(Libc.SCHED_FIFO()),
        /** Real time, round robin ({@code SCHED_RR}). */
        RR(Libc.SCHED_RR()),
        /** Time-sharing for CPU-bound batch work ({@code SCHED_BATCH}). */
        BATCH(Libc.SCHED_BATCH()),
        /** Only when nothing else runs ({@code SCHED_IDLE}). */
        IDLE(Libc.SCHED_IDLE()),
        /** Earliest deadline first ({@code SCHED_DEADLINE}). */
        DEADLINE(Libc.SCHED_DEADLINE());

        private final int number;

        Policy(int number) {
            this.number = number;
        }

        /** {@return the {@code SCHED_*} value} */
        public int number() {
            return number;
        }

        /** {@return the OCI name, such as {@code SCHED_BATCH}} */
        public String ociName() {
            return "SCHED_" + name();
        }

        private boolean realTime() {
            return this == FIFO || this == RR;
        }
    }

    /** A {@code SCHED_FLAG_*} bit; the numbers come from the generated {@code <linux/sched.h>} bindings. */
    public enum Flag {
        /** Children start with the default policy. */
        RESET_ON_FORK(Libc.SCHED_FLAG_RESET_ON_FORK()),
        /** A deadline task may reclaim bandwidth other tasks leave unused. */
        RECLAIM(Libc.SCHED_FLAG_RECLAIM()),
        /** A deadline task gets SIGXCPU when it overruns its runtime. */
        DL_OVERRUN(Libc.SCHED_FLAG_DL_OVERRUN()),
        /** The policy is left as it is. */
        KEEP_POLICY(Libc.SCHED_FLAG_KEEP_POLICY()),
        /** The parameters are left as they are. */
        KEEP_PARAMS(Libc.SCHED_FLAG_KEEP_PARAMS()),
        /** The minimum utilization clamp is set. */
        UTIL_CLAMP_MIN(Libc.SCHED_FLAG_UTIL_CLAMP_MIN()),
        /** The maximum utilization clamp is set. */
        UTIL_CLAMP_MAX(Libc.SCHED_FLAG_UTIL_CLAMP_MAX());

        private final long bit;

        Flag(long bit) {
            this.bit = bit;
        }

        /** {@return the flag's bit} */
        public long bit() {
            return bit;
        }

        /** {@return the OCI name, such as {@code SCHED_FLAG_RESET_ON_FORK}} */
        public String ociName() {
            return "SCHED_FLAG_" + name();
        }
    }

    /**
     * Checks the parameters against the policy.
     *
     * @throws IllegalArgumentException if a parameter is out of range or does not apply to the policy
     */
    public Scheduler {
        Objects.requireNonNull(policy, "policy");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        if (nice < MIN_NICE || nice > MAX_NICE) {
            throw new IllegalArgumentException("nice " + nice + " is not between " + MIN_NICE + " and " + MAX_NICE);
        }
        if (policy.realTime() && (priority < MIN_REAL_TIME_PRIORITY || priority > MAX_REAL_TIME_PRIORITY)) {
            throw new IllegalArgumentException("priority " + priority + " of " + policy.ociName() + " is not between "
                    + MIN_REAL_TIME_PRIORITY + " and " + MAX_REAL_TIME_PRIORITY);
        }
        if (!policy.realTime() && priority != 0) {
            throw new IllegalArgumentException("priority applies to SCHED_FIFO and SCHED_RR only: "
                    + policy.ociName() + " takes 0, not " + priority);
        }
        if (policy != Policy.DEADLINE && (runtime != 0 || deadline != 0 || period != 0)) {
            throw new IllegalArgumentException("runtime, deadline and period apply to SCHED_DEADLINE only, not "
                    + policy.ociName());
        }
        if (policy == Policy.DEADLINE && (runtime <= 0 || runtime > deadline || (period != 0 && deadline > period))) {
            throw new IllegalArgumentException("SCHED_DEADLINE needs 0 < runtime <= deadline <= period (period 0"
                    + " meaning the deadline), not runtime " + runtime + ", deadline " + deadline + ", period " + period);
        }
    }

    /** {@return a policy without flags or deadline parameters: a nice value for OTHER or BATCH, a priority for FIFO or RR} */
    public static Scheduler of(Policy policy, int nice, int priority) {
        return new Scheduler(policy, nice, priority, Set.of(), 0, 0, 0);
    }

    /** {@return the flags as the bits {@code sched_attr.sched_flags} holds} */
    public long flagBits() {
        return flags.stream().mapToLong(Flag::bit).reduce(0, (a, b) -> a | b);
    }
}
