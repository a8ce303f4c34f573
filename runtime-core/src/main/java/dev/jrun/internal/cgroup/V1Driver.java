package dev.jrun.internal.cgroup;

import dev.jrun.model.Resources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The driver for hosts with cgroup v1 hierarchies: legacy ones, and hybrid
 * ones that also mount the unified hierarchy, which serves the controllers no
 * v1 hierarchy has.
 */
final class V1Driver implements CgroupDriver {

    private final List<CgroupHierarchy> hierarchies;
    private final Optional<CgroupHierarchy> unified;

    V1Driver(List<CgroupHierarchy> hierarchies, Optional<CgroupHierarchy> unified) {
        this.hierarchies = List.copyOf(hierarchies);
        this.unified = unified;
    }

    @Override
    public String name() {
        return unified.isPresent() ? "cgroup v1 (hybrid)" : "cgroup v1";
    }

    @Override
    public void validate(Resources resources) {
        if (!resources.unified().isEmpty()) {
            throw new IllegalArgumentException("invalid configuration: cgroup v2 files set directly (" + String.join(", ", resources.unified().keySet())
                    + ") need a cgroup v2 host; this one uses " + name());
        }
        resources.hugepageLimits().keySet().forEach(HugePageSizes::requireSupported);
        if ((resources.cpuRealtimeRuntime().isPresent() || resources.cpuRealtimePeriod().isPresent())
                && hierarchies.stream().noneMatch(hierarchy -> hierarchy.has("cpu"))) {
            throw new IllegalArgumentException("real-time CPU time needs a cgroup v1 cpu hierarchy, which this host"
                    + " does not have");
        }
        for (CgroupWrite write : V1Limits.writes(resources, file -> true)) {
            String controller = write.controller();
            boolean inV1 = hierarchies.stream().anyMatch(h -> h.has(controller));
            boolean inUnified = unified.map(u -> u.has(controller) || controller.equals(V2Cgroup.DEVICES)).orElse(false);
            if (!inV1 && !inUnified) {
                throw new IllegalArgumentException(write.file() + " needs the " + controller
                        + " cgroup controller, which this host does not have");
            }
        }
    }

    @Override
    public ContainerCgroup create(String cgroupsPath, Resources resources) {
        return V1Cgroup.create(hierarchies, unified, cgroupsPath, resources);
    }

    @Override
    public List<Path> directories(String cgroupsPath) {
        return inEachHierarchy(hierarchy -> CgroupPaths.directory(hierarchy, cgroupsPath));
    }

    @Override
    public List<Path> ownDirectories() {
        return inEachHierarchy(CgroupHierarchy::ownDirectory);
    }

    /** The v1 hierarchies in order, then the unified one, from which a limit may need a directory too. */
    private List<Path> inEachHierarchy(Function<CgroupHierarchy, Path> directory) {
        List<Path> directories = new ArrayList<>(hierarchies.stream().map(directory).toList());
        unified.map(directory).ifPresent(directories::add);
        return directories;
    }

    @Override
    public ContainerCgroup open(List<Path> directories) {
        Map<CgroupHierarchy, Path> dirs = new LinkedHashMap<>();
        Optional<V2Cgroup> unifiedPart = Optional.empty();
        for (Path dir : directories) {
            Optional<CgroupHierarchy> hierarchy = hierarchies.stream().filter(h -> h.contains(dir)).findFirst();
            if (hierarchy.isPresent()) {
                dirs.put(hierarchy.get(), dir);
            } else if (unified.isPresent() && unified.get().contains(dir)) {
                unifiedPart = Optional.of(V2Cgroup.existing(dir));
            } else {
                throw new IllegalArgumentException(dir + " is in no cgroup hierarchy of this host");
            }
        }
        return V1Cgroup.existing(dirs, unifiedPart);
    }

    /** The unified hierarchy of a hybrid host takes a path for every hierarchy only, as runc's. */
    @Override
    public List<Path> subCgroup(List<Path> directories, Map<String, String> paths) {
        Set<String> controllers = new HashSet<>();
        hierarchies.forEach(hierarchy -> controllers.addAll(hierarchy.controllers()));
        SubCgroups.check(paths, controllers);
        List<Path> subCgroup = new ArrayList<>();
        for (Path directory : directories) {
            Optional<CgroupHierarchy> hierarchy = hierarchies.stream().filter(h -> h.contains(directory)).findFirst();
            Optional<String> path = paths.containsKey(SubCgroups.EVERY_HIERARCHY)
                    ? Optional.of(paths.get(SubCgroups.EVERY_HIERARCHY))
                    : hierarchy.flatMap(h -> pathFor(h, paths));
            subCgroup.add(path.map(p -> SubCgroups.below(directory, p)).orElse(directory));
        }
        return subCgroup;
    }

    /** {@return the path given for the controllers of {@code hierarchy}, if any; one, if they share it} */
    private static Optional<String> pathFor(CgroupHierarchy hierarchy, Map<String, String> paths) {
        Set<String> given = new TreeSet<>();
        hierarchy.controllers().stream().filter(paths::containsKey).forEach(c -> given.add(paths.get(c)));
        if (given.size() > 1) {
            throw new IllegalArgumentException("the controllers " + String.join(", ", new TreeSet<>(
                    hierarchy.controllers())) + " share the hierarchy " + hierarchy.mountPoint()
                    + ": give them one sub-cgroup path, not " + String.join(" and ", given));
        }
        return given.stream().findFirst();
    }
}
