package dev.jrun.model;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's cgroup: where its resource limits apply and its statistics
 * come from. A running container's cgroup is {@link ContainerProcess#cgroup()};
 * {@link dev.jrun.Cgroups#open(List)} finds one again from its directories, for instance in
 * another process that kept them in a container's state.
 *
 * <p>jrun probes the host: on cgroup v1 (and hybrid hosts) the cgroup is a
 * directory in each v1 hierarchy, on cgroup v2 one directory in the unified
 * hierarchy.
 */
public interface Cgroup {

    /** {@return the cgroup's directories, one per hierarchy, e.g. {@code /sys/fs/cgroup/memory/jrun-1a2b3c4d5e6f}} */
    List<Path> directories();

    /** {@return what the cgroup's processes have used, from the cgroup's own statistics} */
    ResourceStats stats();

    /**
     * Changes the limits of a live cgroup to {@code resources} ({@code runc update}): each limit
     * {@code resources} sets is written, the others are left as they are. Device rules are set when
     * the cgroup is created and not changed here.
     *
     * @throws IllegalArgumentException when a limit needs a controller or file the cgroup lacks
     * @throws SystemCallException naming the file the kernel refused (a memory limit below the
     *         current use, for instance)
     */
    void update(Resources resources);

    /**
     * Freezes every process in the cgroup (the freezer) and returns once they are frozen.
     *
     * @throws IllegalStateException if the host has no freezer
     */
    void freeze();

    /** Lets the frozen processes run again. */
    void thaw();

    /** {@return whether the cgroup is frozen: {@link #freeze()} was called, and {@link #thaw()} not since} */
    boolean isFrozen();

    /** {@return the PIDs of the processes in the cgroup, as the host sees them, in ascending order} */
    List<Integer> pids();

    /** Kills any process still in the cgroup and removes its directories. Removing it twice does nothing. */
    void delete();

    /**
     * Removes the cgroup's directories once its container has ended, but not one that a process is
     * still in, or a cgroup below it: another container shares that one, which stays as it is, with
     * its processes. Removing it twice does nothing.
     *
     * @return whether the cgroup is gone
     */
    boolean removeIfEmpty();
}
