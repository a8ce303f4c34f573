package dev.jrun.internal.cgroup;

import dev.jrun.model.Cgroup;

/**
 * A container's cgroup as the drivers make it: the public {@link Cgroup}, and {@link #add}, which
 * only the launcher calls.
 */
public interface ContainerCgroup extends Cgroup {

    /** Moves the process {@code pid} into the cgroup, in every hierarchy. */
    void add(int pid);
}
