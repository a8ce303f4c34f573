package dev.jrun.oci;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.ProcStat;
import dev.jrun.internal.sys.Processes;
import dev.jrun.model.SystemCallException;

import java.util.List;
import java.util.Optional;

/** The kill operation: a signal to a container's first process, or to all its processes. */
final class KillContainer {

    private final StateStore store;
    private final Freezer freezer;

    KillContainer(StateStore store, Freezer freezer) {
        this.store = store;
        this.freezer = freezer;
    }

    /**
     * Sends {@code signal} to the container's first process, or with {@code all} to each of its processes.
     *
     * A stopped container takes {@code all} as runc does: what is left in its cgroup gets the signal,
     * unless it had a PID namespace of its own (nothing of it is left: the rest is another container's).
     *
     * @throws ContainerStateException if the container is stopped and {@code all} is not given
     */
    void kill(String id, int signal, boolean all) {
        try (ContainerDirectory directory = store.open(id)) {
            ContainerRecord record = directory.record();
            Status status = ContainerStatus.of(directory, record, freezer);
            if (status == Status.STOPPED && all) {
                // Nothing of it is left when it had a PID namespace of its own; its first process is gone either way.
                if (record.resources().signalsWholeCgroup()) {
                    record.openCgroup().ifPresent(cgroup -> cgroup.pids().forEach(pid -> signalProcess(pid, signal)));
                }
                return;
            }
            if (status == Status.STOPPED) {
                throw ContainerStateException.cannot("kill", id, status, "it is stopped");
            }
            if (all) {
                signalAll(record, signal);
            } else {
                signalFirstProcess(record.resources(), signal).ifPresent(Descriptors::close);
            }
        }
    }

    /**
     * Signals the container's first process through a pidfd, once the pidfd is known to be that
     * process and not a later one with a recycled PID; {@return the pidfd (the caller closes it),
     * or empty when the process is gone}
     */
    static Optional<Integer> signalFirstProcess(HeldResources container, int signal) {
        return container.hasProcess() ? signalRecorded(container.pid(), container.startTime(), signal) : Optional.empty();
    }

    /**
     * Signals the process recorded as {@code pid} started at {@code startTime} (clock ticks since
     * boot) through a pidfd, if it is still that process; {@return the pidfd (the caller closes it),
     * or empty when the process is gone}
     */
    static Optional<Integer> signalRecorded(int pid, long startTime, int signal) {
        Optional<Integer> pidfd = openRecorded(pid, startTime);
        pidfd.ifPresent(opened -> Processes.signal(opened, signal));
        return pidfd;
    }

    /**
     * {@return a pidfd of the process recorded as {@code pid} started at {@code startTime} (the caller
     * closes it), or empty when that process is gone}
     */
    static Optional<Integer> openRecorded(int pid, long startTime) {
        int pidfd;
        try {
            pidfd = Processes.pidfdOpen(pid);
        } catch (SystemCallException e) {
            if (e.errno() == Libc.ESRCH()) {
                return Optional.empty();
            }
            throw e;
        }
        boolean same = ProcStat.of(pid).map(stat -> stat.startTime() == startTime).orElse(false);
        if (!same) {
            Descriptors.close(pidfd);
            return Optional.empty();
        }
        return Optional.of(pidfd);
    }

    private static void signalProcess(int pid, int signal) {
        try {
            int pidfd = Processes.pidfdOpen(pid);
            try {
                Processes.signal(pidfd, signal);
            } finally {
                Descriptors.close(pidfd);
            }
        } catch (SystemCallException e) {
            if (e.errno() != Libc.ESRCH()) {
                throw e;
            }
        }
    }

    /** Sends {@code signal} to every process of the container, its first process first. */
    static void signalAll(ContainerRecord record, int signal) {
        List<Integer> pids = ContainerProcesses.of(record);
        signalFirstProcess(record.resources(), signal).ifPresent(Descriptors::close);
        pids.stream().skip(1).forEach(pid -> signalProcess(pid, signal));
    }
}
