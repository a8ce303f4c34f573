package dev.jrun.oci;

import dev.jrun.Cgroups;
import dev.jrun.model.Cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a container holds on the host, which delete releases: its first
 * process and its cgroup. Create records it ({@code resources.json}) before
 * using either: the cgroup's directories before the cgroup exists, the
 * first process (with its start time, which tells it from a later process
 * with its PID) before any hook runs and before the container is released
 * (until then it waits at its gate, and ends by itself when its runtime dies:
 * the gate's pipe reaches end of file). So a runtime killed at any point of
 * create leaves delete all it needs.
 *
 * @param pid       the first process, as the host sees it; 0 until known
 * @param startTime when that process started, in clock ticks since boot
 * @param cgroup    the directories of the container's cgroup, one per hierarchy; empty when it gets none
 */
record HeldResources(int pid, long startTime, List<String> cgroup) {

    HeldResources {
        cgroup = cgroup == null ? List.of() : List.copyOf(cgroup);
    }

    /** {@return the resources of a container whose first process does not exist yet} */
    static HeldResources cgroupOnly(List<String> cgroup) {
        return new HeldResources(0, 0, cgroup);
    }

    /** {@return these resources with the container's first process} */
    HeldResources withProcess(int pid, long startTime) {
        return new HeldResources(pid, startTime, cgroup);
    }

    /** {@return whether the first process is known} */
    boolean hasProcess() {
        return pid != 0;
    }

    /** {@return the container's cgroup, when it has one} */
    Optional<Cgroup> openCgroup() {
        return cgroup.isEmpty() ? Optional.empty() : Optional.of(Cgroups.open(cgroup.stream().map(Path::of).toList()));
    }
}
