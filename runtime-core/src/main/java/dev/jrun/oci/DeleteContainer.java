package dev.jrun.oci;

import dev.jrun.Cgroup;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;

import java.util.List;
import java.util.Optional;

/**
 * The delete operation: removes every trace of a stopped container (with
 * {@code force}, of a live one too, after killing it), its cgroup included,
 * then runs its poststop hooks.
 */
final class DeleteContainer {

    private final StateStore store;
    private final Freezer freezer;

    DeleteContainer(StateStore store, Freezer freezer) {
        this.store = store;
        this.freezer = freezer;
    }

    /**
     * Deletes the container; {@return a warning for each poststop hook that failed}. With {@code
     * force}, a container that does not exist is no error (engines clean up that way, as runc allows).
     *
     * @throws IllegalStateException if the container is not stopped and {@code force} is not given
     */
    List<String> delete(String id, boolean force) {
        StateStore.requireValidId(id);
        if (force && !store.exists(id)) {
            return List.of();
        }
        try (ContainerDirectory directory = store.open(id)) {
            Optional<ContainerRecord> record = directory.findRecord();
            if (record.isPresent()) {
                Status status = ContainerStatus.of(directory, record.get(), freezer);
                if (status != Status.STOPPED) {
                    if (!force) {
                        throw new IllegalStateException("cannot delete container \"" + id + "\": it is "
                                + status.ociName() + "; stop it first, or use --force");
                    }
                    stop(record.get(), status);
                }
            }
            record.flatMap(ContainerRecord::openCgroup).ifPresent(Cgroup::delete);
            Optional<Spec> config = directory.config();
            directory.remove();
            if (record.isEmpty() || config.isEmpty()) {
                return List.of();
            }
            return new HookRunner(Optional.ofNullable(config.get().hooks()))
                    .runAll(HookRunner.Kind.POSTSTOP, record.get().state(Status.STOPPED));
        }
    }

    /**
     * Kills the container's first process and waits until it has ended. In a PID namespace of its
     * own, the kernel kills every other process with it.
     */
    private void stop(ContainerRecord record, Status status) {
        if (status == Status.PAUSED) {
            freezer.thaw(record);
        }
        KillContainer.signalFirstProcess(record, Libc.SIGKILL()).ifPresent(pidfd -> {
            try {
                Descriptors.awaitReadable(pidfd);
            } finally {
                Descriptors.close(pidfd);
            }
        });
    }
}
