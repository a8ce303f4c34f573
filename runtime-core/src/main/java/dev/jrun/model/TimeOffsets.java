package dev.jrun.model;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a container's new time namespace moves its clocks from the host's (OCI
 * {@code linux.timeOffsets}): the monotonic clock and the boot-time clock, which {@code /proc/uptime}
 * reads. The offsets are written to {@code /proc/self/timens_offsets} after the namespace is created
 * and before its first process, the only moment the kernel accepts them.
 *
 * @param monotonic added to {@code CLOCK_MONOTONIC}; may be negative
 * @param boottime  added to {@code CLOCK_BOOTTIME}; may be negative
 */
public record TimeOffsets(Duration monotonic, Duration boottime) {

    private static final TimeOffsets NONE = new TimeOffsets(Duration.ZERO, Duration.ZERO);

    /**
     * Checks that both offsets are given.
     *
     * @throws NullPointerException if an offset is null
     */
    public TimeOffsets {
        Objects.requireNonNull(monotonic, "monotonic");
        Objects.requireNonNull(boottime, "boottime");
    }

    /** {@return no offsets: the new time namespace's clocks read as the host's} */
    public static TimeOffsets none() {
        return NONE;
    }

    /** {@return whether either clock is moved} */
    public boolean movesAnyClock() {
        return !monotonic.isZero() || !boottime.isZero();
    }
}
