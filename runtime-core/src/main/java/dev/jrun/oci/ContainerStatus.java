package dev.jrun.oci;

import dev.jrun.internal.sys.ProcStat;

import java.util.Optional;

/** Reads a container's status from the system, never from a stored value that could be stale. */
final class ContainerStatus {

    private ContainerStatus() {
    }

    /**
     * {@return the status: stopped once the first process ended (or its PID belongs to another
     * process now), created while the exec FIFO waits for start, else paused or running}
     */
    static Status of(ContainerDirectory directory, ContainerRecord record, Freezer freezer) {
        if (!firstProcessLives(record.resources())) {
            return Status.STOPPED;
        }
        if (directory.hasExecFifo()) {
            return Status.CREATED;
        }
        return freezer.isFrozen(record) ? Status.PAUSED : Status.RUNNING;
    }

    /** {@return whether the container's first process is known and has not ended (nor given its PID to another)} */
    static boolean firstProcessLives(HeldResources resources) {
        Optional<ProcStat> stat = resources.hasProcess() ? ProcStat.of(resources.pid()) : Optional.empty();
        return stat.isPresent() && stat.get().startTime() == resources.startTime() && !stat.get().ended();
    }
}
