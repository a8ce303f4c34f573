package dev.jrun.oci;

import java.util.Locale;

/** Where a container is in its lifecycle, as {@code state} reports it. */
public enum Status {
    /** Being created: its first process exists, its setup is not finished. */
    CREATING,
    /** Set up, waiting for {@code start}: its command does not run yet. */
    CREATED,
    /** Its command runs. */
    RUNNING,
    /** Frozen by {@code pause} (a runtime-defined status, as runc has it). */
    PAUSED,
    /** Its first process has ended. */
    STOPPED;

    /** {@return the name the OCI state uses, such as {@code running}} */
    public String ociName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
