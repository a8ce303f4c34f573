package dev.jrun.internal.cgroup;

import dev.jrun.ResourceStats;
import dev.jrun.Resources;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's cgroup as the drivers make it: the operations {@code dev.jrun.Cgroup} documents, which
 * the public API offers by wrapping this (so that this room implements no public type whose
 * factories reach back into it), and {@link #add}, for the launcher.
 */
public interface ContainerCgroup {

    List<Path> directories();

    ResourceStats stats();

    void update(Resources resources);

    void freeze();

    void thaw();

    boolean isFrozen();

    List<Integer> pids();

    void delete();

    /** Moves the process {@code pid} into the cgroup, in every hierarchy. */
    void add(int pid);
}
