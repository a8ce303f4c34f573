package dev.jrun.model;

import dev.jrun.bindings.Libc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A resource limit for a container's processes (OCI {@code process.rlimits}),
 * set with {@code prlimit64} before the command starts.
 *
 * @param type the resource
 * @param soft the limit the kernel enforces, {@link #UNLIMITED} for none
 * @param hard the ceiling the soft limit may be raised to, {@link #UNLIMITED} for none
 */
public record Rlimit(Type type, long soft, long hard) {

    /** No limit ({@code RLIM_INFINITY}); the limits are unsigned 64-bit numbers. */
    public static final long UNLIMITED = Libc.RLIM_INFINITY();

    /** A limited resource; the numbers come from the generated {@code <sys/resource.h>} bindings. */
    public enum Type {
        /** Address space size, bytes. */
        AS(Libc.RLIMIT_AS()),
        /** Core file size, bytes. */
        CORE(Libc.RLIMIT_CORE()),
        /** CPU time, seconds. */
        CPU(Libc.RLIMIT_CPU()),
        /** Data segment size, bytes. */
        DATA(Libc.RLIMIT_DATA()),
        /** File size, bytes. */
        FSIZE(Libc.RLIMIT_FSIZE()),
        /** File locks. */
        LOCKS(Libc.RLIMIT_LOCKS()),
        /** Locked memory, bytes. */
        MEMLOCK(Libc.RLIMIT_MEMLOCK()),
        /** POSIX message queue bytes. */
        MSGQUEUE(Libc.RLIMIT_MSGQUEUE()),
        /** Ceiling of the nice value. */
        NICE(Libc.RLIMIT_NICE()),
        /** Open file descriptors. */
        NOFILE(Libc.RLIMIT_NOFILE()),
        /** Processes of the user. */
        NPROC(Libc.RLIMIT_NPROC()),
        /** Resident set size (ignored by Linux). */
        RSS(Libc.RLIMIT_RSS()),
        /** Ceiling of the real-time priority. */
        RTPRIO(Libc.RLIMIT_RTPRIO()),
        /** Real-time CPU time without a blocking call, microseconds. */
        RTTIME(Libc.RLIMIT_RTTIME()),
        /** Queued signals. */
        SIGPENDING(Libc.RLIMIT_SIGPENDING()),
        /** Stack size, bytes. */
        STACK(Libc.RLIMIT_STACK());

        private static final String PREFIX = "RLIMIT_";

        private final int number;

        Type(int number) {
            this.number = number;
        }

        /** {@return the kernel's number for this resource} */
        public int number() {
            return number;
        }

        /** {@return the name as the OCI spec writes it, e.g. {@code RLIMIT_NOFILE}} */
        public String ociName() {
            return PREFIX + name();
        }

        /**
         * {@return the resource with this name: {@code RLIMIT_NOFILE} or {@code nofile}}
         *
         * @throws IllegalArgumentException naming the unknown resource
         */
        public static Type parse(String name) {
            String upper = name.toUpperCase(Locale.ROOT);
            String bare = upper.startsWith(PREFIX) ? upper.substring(PREFIX.length()) : upper;
            return Arrays.stream(values()).filter(t -> t.name().equals(bare)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown rlimit \"" + name + "\": known are "
                            + Arrays.stream(values()).map(Type::ociName).collect(Collectors.joining(", "))));
        }
    }

    public Rlimit {
        if (Long.compareUnsigned(soft, hard) > 0) {
            throw new IllegalArgumentException(type.ociName() + ": soft limit " + Long.toUnsignedString(soft)
                    + " is above the hard limit " + Long.toUnsignedString(hard));
        }
    }

    /**
     * {@return the limit a {@code TYPE=SOFT[:HARD]} argument names, as {@code jrun run --ulimit} takes it;
     * {@code -1} or {@code unlimited} means no limit, the hard limit defaults to the soft one}
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public static Rlimit parse(String spec) {
        int equals = spec.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("invalid rlimit \"" + spec + "\": expected TYPE=SOFT[:HARD], e.g. nofile=1024:4096");
        }
        Type type = Type.parse(spec.substring(0, equals));
        String[] values = spec.substring(equals + 1).split(":", -1);
        if (values.length > 2) {
            throw new IllegalArgumentException("invalid rlimit \"" + spec + "\": expected TYPE=SOFT[:HARD]");
        }
        long soft = parseLimit(spec, values[0]);
        return new Rlimit(type, soft, values.length == 2 ? parseLimit(spec, values[1]) : soft);
    }

    private static long parseLimit(String spec, String value) {
        if (value.equals("-1") || value.equalsIgnoreCase("unlimited")) {
            return UNLIMITED;
        }
        try {
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid rlimit \"" + spec + "\": \"" + value + "\" is not a number");
        }
    }

    @Override
    public String toString() {
        return type.ociName() + "=" + render(soft) + ":" + render(hard);
    }

    private static String render(long limit) {
        return limit == UNLIMITED ? "unlimited" : Long.toUnsignedString(limit);
    }
}
