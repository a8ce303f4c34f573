package dev.jrun.internal.cgroup;

import dev.jrun.model.Resources;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Creates and finds containers' cgroups on one kind of host: cgroup v1 (legacy or hybrid) or cgroup v2. */
public interface CgroupDriver {

    /** {@return the driver's name, for messages: "cgroup v1" or "cgroup v2"} */
    String name();

    /**
     * Checks that this host can apply the resources, before anything is created.
     *
     * @throws IllegalArgumentException naming a controller or huge page size the host lacks
     */
    void validate(Resources resources);

    /**
     * Creates the cgroup and applies the resources; on failure removes what it created.
     *
     * @param cgroupsPath an OCI cgroupsPath: absolute from the hierarchy's root, or relative to
     *                    this process's own cgroup
     * @throws dev.jrun.model.SystemCallException naming the file or directory the kernel refused
     */
    ContainerCgroup create(String cgroupsPath, Resources resources);

    /**
     * {@return the directories {@link #create} makes the cgroup's leaf in, or may make it in, one per
     * hierarchy, in the order it makes them; nothing is created} A runtime records them before the
     * cgroup exists, so that a runtime killed while creating it leaves a record of what to remove.
     */
    List<Path> directories(String cgroupsPath);

    /**
     * Checks that the directories {@link #directories} lists may become a new container's cgroup:
     * those that exist already (made ahead, as runc's tests and pods make them) are not frozen.
     *
     * @throws IllegalArgumentException naming the first directory that may not
     */
    default void requireUsable(List<Path> directories) {
        directories.forEach(CgroupDirectories::requireUsable);
    }

    /**
     * {@return the PIDs of the processes in the directories {@link #directories} lists, in ascending
     * order}: a new container shares its cgroup with them
     */
    default List<Integer> processesIn(List<Path> directories) {
        return CgroupDirectories.pids(directories);
    }

    /**
     * {@return this process's own cgroup in each hierarchy a container gets a directory in, in the
     * order {@link #directories} lists them}: where relative cgroup paths start
     */
    List<Path> ownDirectories();

    /**
     * {@return a cgroup created earlier, perhaps by another process, from its directories}
     *
     * @throws IllegalArgumentException if a directory is in no hierarchy of this host
     */
    ContainerCgroup open(List<Path> directories);

    /**
     * {@return the directories of a sub-cgroup of the cgroup with {@code directories}, as runc's
     * {@code exec --cgroup} names one: {@code paths} maps a controller to a path below the cgroup in
     * that controller's hierarchy, or the key {@code ""} to a path below it in every hierarchy; the
     * other hierarchies keep the cgroup's directory} Nothing is created, nor checked to exist:
     * joining a missing one fails.
     *
     * @throws IllegalArgumentException for a path that leads out of the cgroup, a controller no
     *                                  hierarchy has, or two paths for one hierarchy
     */
    List<Path> subCgroup(List<Path> directories, Map<String, String> paths);
}
