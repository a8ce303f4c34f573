package dev.jrun.internal.launch;

/**
 * Work the launcher does for a container while its first process waits at
 * the gate, before any of the container's own setup runs: placing it in its
 * cgroup, writing its uid/gid maps, running OCI hooks.
 */
interface GateTask {

    /**
     * Does the work for the container whose first process is {@code pid} (as
     * the host sees it).
     *
     * @throws RuntimeException to abort the launch; the container is then killed
     */
    void run(int pid);

    /** Undoes what {@link #run} left behind when the launch fails later; nothing by default. */
    default void undo() {
    }

    /** Lets go of what {@link #run} started for the container's lifetime once the container ended; nothing by default. */
    default void containerEnded() {
    }

    /** Leaves what {@link #run} started running with the container, whose handle was detached; nothing by default. */
    default void containerDetached() {
    }
}
