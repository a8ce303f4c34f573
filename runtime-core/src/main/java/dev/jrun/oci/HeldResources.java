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
 * <p>The cgroup may be shared: one made ahead with processes in it (runc
 * warns, and so does create). So the rule of runc's delete and {@code kill
 * --all} decides what is the container's ({@link #signalsWholeCgroup()}).
 *
 * @param pid              the first process, as the host sees it; 0 until known
 * @param startTime        when that process started, in clock ticks since boot
 * @param cgroup           the directories of the container's cgroup, one per hierarchy; empty when it gets none
 * @param ownPidNamespace  whether the first process is the init of a PID namespace of its own (false
 *                         until known, and in records of jruns that did not know it)
 */
record HeldResources(int pid, long startTime, List<String> cgroup, boolean ownPidNamespace) {

    HeldResources {
        cgroup = cgroup == null ? List.of() : List.copyOf(cgroup);
    }

    /** {@return the resources of a container whose first process does not exist yet} */
    static HeldResources cgroupOnly(List<String> cgroup) {
        return new HeldResources(0, 0, cgroup, false);
    }

    /** {@return these resources with the container's first process} */
    HeldResources withProcess(int pid, long startTime, boolean ownPidNamespace) {
        return new HeldResources(pid, startTime, cgroup, ownPidNamespace);
    }

    /**
     * {@return whether every process in the container's cgroup is the container's, to be signalled
     * by delete and {@code kill --all}, as runc's {@code signalAllProcesses}: for a container without
     * a PID namespace of its own} With one, its processes end with its first process (the kernel
     * ends the namespace), and whatever else is in its cgroup is another container's that shares it.
     * Before its first process was recorded, nothing in the cgroup is known to be the container's:
     * that process waits at its gate and ends by itself when its runtime has gone.
     */
    boolean signalsWholeCgroup() {
        return hasProcess() && !ownPidNamespace;
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
