package dev.jrun.internal.cgroup;

import dev.jrun.model.Resources;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The driver for hosts with only the unified cgroup v2 hierarchy. */
final class V2Driver implements CgroupDriver {

    private final CgroupHierarchy unified;

    V2Driver(CgroupHierarchy unified) {
        this.unified = unified;
    }

    @Override
    public String name() {
        return "cgroup v2";
    }

    @Override
    public void validate(Resources resources) {
        resources.hugepageLimits().keySet().forEach(HugePageSizes::requireSupported);
        if (resources.cpuRealtimeRuntime().isPresent() || resources.cpuRealtimePeriod().isPresent()) {
            throw new IllegalArgumentException("real-time CPU time (cpu.rt_runtime_us, cpu.rt_period_us) needs a"
                    + " cgroup v1 cpu hierarchy; cgroup v2 has no real-time group scheduling");
        }
        for (CgroupWrite write : V2Limits.writes(resources, file -> true)) {
            if (!unified.has(write.controller()) && !write.controller().equals(V2Limits.CORE)) {
                throw new IllegalArgumentException(write.file() + " needs the " + write.controller()
                        + " cgroup controller, which this host's cgroup v2 hierarchy does not offer");
            }
        }
    }

    @Override
    public ContainerCgroup create(String cgroupsPath, Resources resources) {
        Set<String> controllers = new HashSet<>(unified.controllers());
        controllers.add(V2Cgroup.DEVICES);
        controllers.add(V2Limits.CORE);
        return V2Cgroup.create(unified, cgroupsPath, resources, controllers);
    }

    @Override
    public List<Path> directories(String cgroupsPath) {
        return List.of(CgroupPaths.directory(unified, cgroupsPath));
    }

    @Override
    public List<Path> ownDirectories() {
        return List.of(unified.ownDirectory());
    }

    @Override
    public ContainerCgroup open(List<Path> directories) {
        if (directories.size() != 1 || !unified.contains(directories.getFirst())) {
            throw new IllegalArgumentException(directories + " is not a cgroup of this host's cgroup v2 hierarchy "
                    + unified.mountPoint());
        }
        return V2Cgroup.existing(directories.getFirst());
    }

    /** One hierarchy: a sub-cgroup is a path for it, named for no controller. */
    @Override
    public List<Path> subCgroup(List<Path> directories, Map<String, String> paths) {
        SubCgroups.check(paths, Set.of());
        String path = paths.getOrDefault(SubCgroups.EVERY_HIERARCHY, "");
        return directories.stream().map(directory -> SubCgroups.below(directory, path)).toList();
    }
}
