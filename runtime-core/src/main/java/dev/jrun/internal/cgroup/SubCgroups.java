package dev.jrun.internal.cgroup;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sub-cgroups a process joins instead of its container's cgroup, as runc's {@code exec --cgroup}
 * names them: a path below the container's directory in the hierarchy of each controller named, or,
 * under the key {@link #EVERY_HIERARCHY}, in every hierarchy. A path never leads out of the
 * container's cgroup.
 */
final class SubCgroups {

    /** The key of a path for every hierarchy: runc's {@code --cgroup PATH}, without a controller. */
    static final String EVERY_HIERARCHY = "";

    private SubCgroups() {
    }

    /**
     * Checks that the paths name no controller this host's hierarchies lack, and that a path for
     * every hierarchy comes alone.
     *
     * @throws IllegalArgumentException naming the controller or the paths
     */
    static void check(Map<String, String> paths, Set<String> controllers) {
        if (paths.containsKey(EVERY_HIERARCHY) && paths.size() > 1) {
            throw new IllegalArgumentException("a sub-cgroup for every hierarchy (" + paths.get(EVERY_HIERARCHY)
                    + ") comes alone, without paths for single controllers");
        }
        for (String controller : paths.keySet()) {
            if (!controller.equals(EVERY_HIERARCHY) && !controllers.contains(controller)) {
                throw new IllegalArgumentException("unknown controller " + controller + " (this host's cgroup"
                        + " hierarchies have " + String.join(", ", new TreeSet<>(controllers)) + ")");
            }
        }
    }

    /**
     * {@return the directory {@code path} names below {@code directory}: relative to it, also when it
     * starts with a slash, as runc joins them}
     *
     * @throws IllegalArgumentException if it leads out of {@code directory}
     */
    static Path below(Path directory, String path) {
        Path sub = directory.resolve(path.replaceFirst("^/+", "")).normalize();
        if (!sub.startsWith(directory)) {
            throw new IllegalArgumentException(path + " is not a sub cgroup path: it leads out of the container's"
                    + " cgroup " + directory);
        }
        return sub;
    }
}
