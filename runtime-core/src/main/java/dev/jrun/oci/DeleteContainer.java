package dev.jrun.oci;

import dev.jrun.ContainerRoot;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The delete operation: removes every trace of a stopped container (with
 * {@code force}, of a live one too, after killing it), its cgroup included,
 * then runs its poststop hooks. A container whose create was killed before it
 * finished is deleted from what create recorded ahead ({@link HeldResources}):
 * its first process, if it still runs (only with {@code force}), and its
 * cgroup, in every hierarchy, unless another container shares it; for a container made from an image, its network's helper and its
 * overlay root too ({@link ImageResources}).
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
     * @throws ContainerStateException if the container is not stopped and {@code force} is not given
     */
    List<String> delete(String id, boolean force) {
        return delete(id, force, Optional.empty());
    }

    /**
     * Waits until the container's first process has ended, then deletes the container, unless it
     * was deleted meanwhile or is another container of the same ID by then; {@return a warning for
     * each poststop hook that failed}
     */
    List<String> deleteWhenStopped(String id) {
        StateStore.requireValidId(id);
        Optional<ContainerRecord> record;
        try (ContainerDirectory directory = store.read(id)) {
            record = directory.findRecord();
        } catch (ContainerNotFoundException deleted) {
            return List.of();
        }
        if (record.isEmpty()) {
            throw ContainerStateException.cannot("wait for", id, Status.CREATING,
                    "it is still being created: it has no first process to wait for yet");
        }
        KillContainer.openRecorded(record.get().pid(), record.get().startTime()).ifPresent(DeleteContainer::awaitEnd);
        try {
            return delete(id, false, record);
        } catch (ContainerNotFoundException deleted) {
            return List.of();
        }
    }

    /** Deletes the container, if it is still the one {@code expected} recorded, when that is given. */
    private List<String> delete(String id, boolean force, Optional<ContainerRecord> expected) {
        StateStore.requireValidId(id);
        if (force && !store.exists(id)) {
            return List.of();
        }
        try (ContainerDirectory directory = store.open(id)) {
            Optional<ContainerRecord> record = directory.findRecord();
            if (expected.isPresent() && !expected.equals(record)) {
                return List.of();
            }
            Optional<HeldResources> resources = directory.findResources();
            Status status = record.map(r -> ContainerStatus.of(directory, r, freezer))
                    .orElseGet(() -> resources.filter(ContainerStatus::firstProcessLives).isPresent()
                            ? Status.CREATING : Status.STOPPED);
            if (status != Status.STOPPED && !force) {
                throw ContainerStateException.cannot("delete", id, status, record.isPresent()
                        ? "it is " + status.ociName() + "; stop it first, or use --force"
                        : "its creation was interrupted, and its first process still runs; use --force");
            }
            if (status == Status.PAUSED) {
                // A frozen process cannot die.
                freezer.thaw(record.orElseThrow());
            }
            resources.ifPresent(DeleteContainer::release);
            directory.findImageResources().ifPresent(DeleteContainer::release);
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
     * Kills the container's first process, if it is still the one recorded, and waits until it has
     * ended (in a PID namespace of its own, the kernel kills every other process with it); then
     * removes its cgroup. Without a PID namespace of its own, whatever is left in the cgroup is
     * killed first; with one, what is left is another container's that shares the cgroup, and the
     * cgroup stays for it ({@link HeldResources#signalsWholeCgroup()}).
     */
    private static void release(HeldResources resources) {
        KillContainer.signalFirstProcess(resources, Libc.SIGKILL()).ifPresent(DeleteContainer::awaitEnd);
        resources.openCgroup().ifPresent(cgroup -> {
            if (resources.signalsWholeCgroup()) {
                cgroup.delete();
            } else {
                cgroup.removeIfEmpty();
            }
        });
    }

    /**
     * Stops the network's helper of a container made from an image, if it is still the one
     * recorded, and waits until it has ended; then unmounts and removes the container's root.
     */
    private static void release(ImageResources resources) {
        if (resources.helperPid() != 0) {
            KillContainer.signalRecorded(resources.helperPid(), resources.helperStartTime(), Libc.SIGTERM())
                    .ifPresent(DeleteContainer::awaitEnd);
        }
        ContainerRoot.remove(Path.of(resources.root()));
    }

    private static void awaitEnd(int pidfd) {
        try {
            Descriptors.awaitReadable(pidfd);
        } finally {
            Descriptors.close(pidfd);
        }
    }
}
