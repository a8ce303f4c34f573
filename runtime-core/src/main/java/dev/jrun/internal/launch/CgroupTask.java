package dev.jrun.internal.launch;

import dev.jrun.internal.cgroup.AbandonedCgroups;
import dev.jrun.internal.cgroup.CgroupDriver;
import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.internal.cgroup.CgroupPaths;
import dev.jrun.internal.cgroup.ContainerCgroup;
import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.model.Namespace;
import dev.jrun.model.ResourceStats;
import dev.jrun.model.Resources;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Gate work: creates the container's cgroup with its limits (or opens the
 * existing one it {@linkplain ContainerSpec#joinedCgroup() joins}) and moves the
 * waiting first process into it, so nothing the container runs escapes them.
 * Undone by removing the cgroup it created, unless another container shares
 * it ({@link #undo}); a joined one stays. Before the
 * first cgroup this process creates, it removes those that killed jruns left
 * behind ({@link AbandonedCgroups}).
 */
final class CgroupTask implements GateTask {

    private final CgroupDriver driver;
    private final ContainerSpec container;
    private ContainerCgroup cgroup;
    private long oomKillsBefore;

    private CgroupTask(CgroupDriver driver, ContainerSpec container) {
        this.driver = driver;
        this.container = container;
    }

    /**
     * {@return the task for a container, after checking that the host can apply its limits; empty
     * when this process cannot create cgroups and the container asks for no limits}
     *
     * @throws IllegalStateException when the container has limits this process cannot apply
     * @throws IllegalArgumentException when the host lacks a controller the limits need
     */
    static Optional<CgroupTask> prepare(ContainerSpec container) {
        CgroupHost host = CgroupHost.probe();
        Optional<String> unavailable = host.unavailableReason();
        if (unavailable.isPresent()) {
            if (container.resources().limitsAnything()) {
                throw new IllegalStateException("the container's resource limits need a cgroup, and "
                        + unavailable.get());
            }
            return Optional.empty();
        }
        CgroupDriver driver = host.driver();
        driver.validate(container.resources());
        if (container.joinedCgroup().isEmpty()) {
            AbandonedCgroups.removeOnce(driver);
        }
        return Optional.of(new CgroupTask(driver, container));
    }

    @Override
    public void run(int pid) {
        if (container.joinedCgroup().isPresent()) {
            ContainerCgroup joined = driver.open(container.joinedCgroup().get().directories());
            oomKillsBefore = oomKills(joined);
            joined.add(pid);
            cgroup = joined;
            return;
        }
        String path = container.cgroupPath().orElseGet(() -> defaultPath(container));
        boolean shared = !driver.processesIn(driver.directories(path)).isEmpty();
        ContainerCgroup created = driver.create(path, container.resources());
        try {
            created.add(pid);
        } catch (RuntimeException e) {
            // The launcher ends the first process next; another container's processes stay with the cgroup.
            if (!shared) {
                created.delete();
            }
            throw e;
        }
        cgroup = created;
    }

    /**
     * {@return what the OOM killer enforced, such as "memory limit 4096 bytes is too low", when it
     * ended a process of the cgroup since {@link #run} placed the container there; empty when it did not}
     */
    Optional<String> oomKill() {
        if (cgroup == null) {
            return Optional.empty();
        }
        return cgroup.stats().memory().filter(memory -> memory.oomKills() > oomKillsBefore).map(memory -> {
            OptionalLong asked = container.resources().memoryLimit().stream()
                    .filter(bytes -> bytes != Resources.UNLIMITED).findFirst();
            OptionalLong limit = asked.isPresent() ? asked : memory.limitBytes();
            return limit.isPresent() ? "memory limit " + limit.getAsLong() + " bytes is too low" : "out of memory";
        });
    }

    private static long oomKills(ContainerCgroup cgroup) {
        return cgroup.stats().memory().map(ResourceStats.Memory::oomKills).orElse(0L);
    }

    /** A container that dies with this process names it in its cgroup, so a later jrun can remove what is left. */
    private static String defaultPath(ContainerSpec container) {
        return container.diesWithParent() ? CgroupPaths.ownedPath() : CgroupPaths.defaultPath();
    }

    /** {@return the cgroup {@link #run} created} */
    ContainerCgroup cgroup() {
        return cgroup;
    }

    /**
     * Removes the cgroup it created, once the launcher has ended the container's first process. With
     * a PID namespace of its own, the container's processes ended with it, and what is left in the
     * cgroup belongs to another container that shares it: then the cgroup stays. Without one, every
     * process left in the cgroup is killed first, as runc does.
     */
    @Override
    public void undo() {
        if (cgroup == null || container.joinedCgroup().isPresent()) {
            return;
        }
        if (container.namespaces().creates(Namespace.PID)) {
            cgroup.removeIfEmpty();
        } else {
            cgroup.delete();
        }
    }
}
