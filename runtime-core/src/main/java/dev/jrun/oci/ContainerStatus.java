package dev.jrun.oci;

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
        Optional<ProcStat> stat = ProcStat.of(record.pid());
        if (stat.isEmpty() || stat.get().startTime() != record.startTime() || stat.get().ended()) {
            return Status.STOPPED;
        }
        if (directory.hasExecFifo()) {
            return Status.CREATED;
        }
        return freezer.isFrozen(record) ? Status.PAUSED : Status.RUNNING;
    }
}
