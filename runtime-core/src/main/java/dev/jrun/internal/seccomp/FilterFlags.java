package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

import java.util.List;

/** The OCI {@code flags} of a seccomp profile, turned into {@code SECCOMP_FILTER_FLAG_*} bits from the bindings. */
final class FilterFlags {

    private FilterFlags() {
    }

    /**
     * {@return the flags OR-ed together}
     *
     * @throws IllegalArgumentException for an unknown flag, or one that needs a seccomp agent
     */
    static long parse(List<String> names) {
        long flags = 0;
        for (String name : names) {
            flags |= switch (name) {
                case "SECCOMP_FILTER_FLAG_TSYNC" -> Libc.SECCOMP_FILTER_FLAG_TSYNC();
                case "SECCOMP_FILTER_FLAG_LOG" -> Libc.SECCOMP_FILTER_FLAG_LOG();
                case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> Libc.SECCOMP_FILTER_FLAG_SPEC_ALLOW();
                case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> Libc.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV();
                case "SECCOMP_FILTER_FLAG_NEW_LISTENER" -> throw new IllegalArgumentException(name
                        + " needs a seccomp agent, which jrun does not support");
                default -> throw new IllegalArgumentException("unknown seccomp flag \"" + name + "\"");
            };
        }
        return flags;
    }
}
