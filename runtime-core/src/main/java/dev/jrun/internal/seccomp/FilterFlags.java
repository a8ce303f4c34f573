package dev.jrun.internal.seccomp;

import dev.jrun.bindings.Libc;

import java.util.List;
import java.util.Map;

/** The OCI {@code flags} of a seccomp profile, turned into {@code SECCOMP_FILTER_FLAG_*} bits from the bindings. */
final class FilterFlags {

    /** The flag a filter whose rules notify an agent is loaded with: jrun sets it whether the profile names it or not. */
    static final String NEW_LISTENER = "SECCOMP_FILTER_FLAG_NEW_LISTENER";
    private static final Map<String, Long> SUPPORTED = Map.of(
            "SECCOMP_FILTER_FLAG_TSYNC", Libc.SECCOMP_FILTER_FLAG_TSYNC(),
            "SECCOMP_FILTER_FLAG_LOG", Libc.SECCOMP_FILTER_FLAG_LOG(),
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", Libc.SECCOMP_FILTER_FLAG_SPEC_ALLOW(),
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", Libc.SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV(),
            NEW_LISTENER, Libc.SECCOMP_FILTER_FLAG_NEW_LISTENER());

    private FilterFlags() {
    }

    /** {@return the flags a profile may have, sorted} */
    static List<String> supported() {
        return SUPPORTED.keySet().stream().sorted().toList();
    }

    /**
     * {@return the flags OR-ed together}
     *
     * @throws IllegalArgumentException for an unknown flag
     */
    static long parse(List<String> names) {
        long flags = 0;
        for (String name : names) {
            Long bit = SUPPORTED.get(name);
            if (bit == null) {
                throw new IllegalArgumentException("unknown seccomp flag \"" + name + "\"");
            }
            flags |= bit;
        }
        return flags;
    }
}
