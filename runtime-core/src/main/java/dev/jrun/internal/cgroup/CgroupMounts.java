package dev.jrun.internal.cgroup;

import dev.jrun.internal.sys.MountInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The cgroup hierarchies mounted on the host at {@code /sys/fs/cgroup}, as
 * {@code /proc/self/mountinfo} lists them: one {@code cgroup2} filesystem on
 * a unified host, a tmpfs with one directory per hierarchy on a v1 or hybrid
 * host. A container's {@code cgroup} mount repeats this layout with fresh
 * mounts, which show the container's cgroup namespace.
 */
public final class CgroupMounts {

    /** Where the host mounts its cgroup hierarchies, and where a container sees its own. */
    public static final String ROOT = "/sys/fs/cgroup";

    /**
     * One mounted hierarchy.
     *
     * @param name    the directory under {@code /sys/fs/cgroup}, or empty for the unified root itself
     * @param type    {@code cgroup} or {@code cgroup2}
     * @param options the mount data that selects the hierarchy ({@code cpu,cpuacct}, {@code name=systemd}), or empty
     */
    public record Hierarchy(String name, String type, String options) {
    }

    private CgroupMounts() {
    }

    /** {@return the hierarchies among {@code mounts}, in mount order; empty if none is mounted at /sys/fs/cgroup} */
    static List<Hierarchy> hierarchies(List<MountInfo> mounts) {
        List<Hierarchy> found = new ArrayList<>();
        for (MountInfo mount : mounts) {
            String mountPoint = mount.mountPoint().toString();
            String type = mount.fsType();
            if (!type.equals("cgroup") && !type.equals("cgroup2")) {
                continue;
            }
            if (mountPoint.equals(ROOT)) {
                found.add(new Hierarchy("", type, ""));
            } else if (mountPoint.startsWith(ROOT + "/") && mountPoint.indexOf('/', ROOT.length() + 1) < 0) {
                found.add(new Hierarchy(mountPoint.substring(ROOT.length() + 1), type,
                        type.equals("cgroup") ? selectingOptions(mount.superOptions()) : ""));
            }
        }
        return found;
    }

    /** The super options that pick a v1 hierarchy: its controllers and name, not rw/ro or release_agent. */
    private static String selectingOptions(List<String> superOptions) {
        return superOptions.stream()
                .filter(o -> !o.equals("rw") && !o.equals("ro") && !o.startsWith("release_agent="))
                .collect(Collectors.joining(","));
    }
}
