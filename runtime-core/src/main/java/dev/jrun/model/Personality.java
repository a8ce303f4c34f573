package dev.jrun.model;

import dev.jrun.bindings.Libc;

/**
 * The execution domain a container's command runs in (OCI {@code linux.personality}), set with
 * {@code personality(2)} before {@code execve}; the command's children inherit it.
 */
public enum Personality {
    /** The native Linux domain. */
    LINUX(Libc.PER_LINUX()),
    /** 32-bit Linux: {@code uname} reports a 32-bit machine ({@code i686} on x86-64), as {@code linux32} does. */
    LINUX32(Libc.PER_LINUX32());

    private final int domain;

    Personality(int domain) {
        this.domain = domain;
    }

    /** {@return the {@code PER_*} value given to {@code personality(2)}} */
    public int domain() {
        return domain;
    }
}
