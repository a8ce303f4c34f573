package dev.jrun;

import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.model.Cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The host's cgroups, as containers get them: finding one again, and whether this process can make any. */
public final class Cgroups {

    private Cgroups() {
    }

    /**
     * {@return the cgroup with these directories, created earlier}
     *
     * @throws IllegalArgumentException if a directory is in no cgroup hierarchy of this host
     */
    public static Cgroup open(List<Path> directories) {
        return CgroupHost.probe().driver().open(directories);
    }

    /**
     * {@return why this process cannot give containers cgroups, or empty when it can: as root, or
     * when running as another user in a cgroup v2 subtree delegated to it}
     */
    public static Optional<String> unavailableReason() {
        return CgroupHost.probe().unavailableReason();
    }
}
