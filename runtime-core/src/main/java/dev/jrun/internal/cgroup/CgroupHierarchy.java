package dev.jrun.internal.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * A mounted cgroup hierarchy: a v1 hierarchy with its controllers, or the
 * unified (v2) one with the controllers its root offers.
 *
 * @param mountPoint  where it is mounted
 * @param unified     whether it is the cgroup2 hierarchy
 * @param controllers its controllers
 * @param ownPath     the cgroup this process is in, relative to the mount point ("" for its root)
 */
record CgroupHierarchy(Path mountPoint, boolean unified, Set<String> controllers, String ownPath) {

    CgroupHierarchy {
        controllers = Set.copyOf(controllers);
    }

    /** {@return the directory of this process's own cgroup} */
    Path ownDirectory() {
        return ownPath.isEmpty() ? mountPoint : mountPoint.resolve(ownPath);
    }

    /** {@return whether {@code directory} is inside this hierarchy} */
    boolean contains(Path directory) {
        return directory.startsWith(mountPoint);
    }

    /** {@return whether it has the controller} */
    boolean has(String controller) {
        return controllers.contains(controller);
    }
}
