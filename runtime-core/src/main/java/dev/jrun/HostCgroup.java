package dev.jrun;

import dev.jrun.internal.cgroup.ContainerCgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * A driver's cgroup shown as a {@link Cgroup}. The drivers do not implement the public interface
 * themselves: {@code Cgroup}'s own factories reach the drivers, and the drivers must not reach back.
 *
 * @param cgroup the driver's cgroup
 */
record HostCgroup(ContainerCgroup cgroup) implements Cgroup {

    @Override
    public List<Path> directories() {
        return cgroup.directories();
    }

    @Override
    public ResourceStats stats() {
        return cgroup.stats();
    }

    @Override
    public void update(Resources resources) {
        cgroup.update(resources);
    }

    @Override
    public void freeze() {
        cgroup.freeze();
    }

    @Override
    public void thaw() {
        cgroup.thaw();
    }

    @Override
    public boolean isFrozen() {
        return cgroup.isFrozen();
    }

    @Override
    public List<Integer> pids() {
        return cgroup.pids();
    }

    @Override
    public void delete() {
        cgroup.delete();
    }

    @Override
    public String toString() {
        return cgroup.toString();
    }
}
