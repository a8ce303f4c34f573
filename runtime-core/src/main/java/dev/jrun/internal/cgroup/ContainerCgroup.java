package dev.jrun.internal.cgroup;

import dev.jrun.Cgroup;

/** A container's cgroup, with what the launcher does with it besides the public operations. */
public interface ContainerCgroup extends Cgroup {

    /** Moves the process {@code pid} into the cgroup, in every hierarchy. */
    void add(int pid);
}
