package dev.jrun.internal.cgroup;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.KernelFiles;
import dev.jrun.model.ResourceStats;
import dev.jrun.model.Resources;
import dev.jrun.model.SystemCallException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A container's cgroup in the unified (v2) hierarchy: one directory. Its
 * controllers are enabled in the {@code cgroup.subtree_control} of every
 * ancestor; device rules become an eBPF program attached to it.
 */
final class V2Cgroup implements ContainerCgroup {

    private static final String SUBTREE_CONTROL = "cgroup.subtree_control";
    private static final String EVENTS = "cgroup.events";
    private static final long NANOS_PER_MICRO = 1_000;
    /** Device control, which v2 does with an eBPF program rather than a controller. */
    static final String DEVICES = "devices";

    private final Path dir;
    private final List<Path> created;

    private V2Cgroup(Path dir, List<Path> created) {
        this.dir = dir;
        this.created = List.copyOf(created);
    }

    /** {@return the cgroup at {@code dir}, created earlier} */
    static V2Cgroup existing(Path dir) {
        return new V2Cgroup(dir, List.of(dir));
    }

    /**
     * Creates the cgroup with its controllers enabled, writes the limits and attaches the device
     * filter; on failure removes what it created.
     *
     * @param responsibleFor the controllers whose limits this cgroup applies ({@link #DEVICES} for the
     *                       device filter); on a hybrid host, those the v1 hierarchies lack
     */
    static V2Cgroup create(CgroupHierarchy hierarchy, String cgroupsPath, Resources resources,
                           Set<String> responsibleFor) {
        Path leaf = CgroupPaths.directory(hierarchy, cgroupsPath);
        List<Path> missing = CgroupPaths.missing(hierarchy, leaf);
        CgroupDirectories.requireUsable(leaf);
        Set<String> required = new HashSet<>();
        V2Limits.writes(resources, file -> true).stream().map(CgroupWrite::controller)
                .filter(responsibleFor::contains).filter(hierarchy::has).forEach(required::add);
        Set<String> wanted = new HashSet<>(responsibleFor);
        wanted.retainAll(hierarchy.controllers());
        List<Path> created = new ArrayList<>();
        try {
            for (Path ancestor : fromRoot(hierarchy.mountPoint(), (missing.isEmpty() ? leaf : missing.getFirst()).getParent())) {
                enable(ancestor, wanted, required);
            }
            for (Path path : missing) {
                KernelFiles.mkdir(path);
                created.add(path);
                if (!path.equals(leaf)) {
                    enable(path, wanted, required);
                }
            }
            for (CgroupWrite write : V2Limits.writes(resources, file -> Files.exists(leaf.resolve(file)))) {
                if (responsibleFor.contains(write.controller())) {
                    KernelFiles.write(leaf.resolve(write.file()), write.value());
                }
            }
            if (responsibleFor.contains(DEVICES) && !resources.devices().isEmpty()) {
                DeviceFilter.attach(leaf, resources.devices());
            }
            return new V2Cgroup(leaf, created);
        } catch (RuntimeException e) {
            CgroupDirectories.remove(created);
            throw e;
        }
    }

    @Override
    public void update(Resources resources) {
        for (CgroupWrite write : V2Limits.writes(resources, file -> Files.exists(dir.resolve(file)))) {
            Path file = dir.resolve(write.file());
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("cannot update " + file + ": the " + write.controller()
                        + " controller is not enabled for this cgroup");
            }
            KernelFiles.write(file, write.value());
        }
    }

    /** {@return the directories from {@code root} down to {@code dir}, both included} */
    private static List<Path> fromRoot(Path root, Path dir) {
        List<Path> chain = new ArrayList<>();
        for (Path path = dir; !path.equals(root); path = path.getParent()) {
            chain.addFirst(path);
        }
        chain.addFirst(root);
        return chain;
    }

    /**
     * Enables controllers for the children of {@code parent}: the wanted ones its own parent passes
     * on (statistics need cpu, memory and pids), and the required ones, which the limits need.
     */
    private static void enable(Path parent, Set<String> wanted, Set<String> required) {
        Set<String> available = Set.of(StatFiles.text(parent.resolve("cgroup.controllers")).split(" "));
        for (String controller : required) {
            if (!available.contains(controller)) {
                throw new IllegalStateException("cgroup " + parent + " cannot pass the " + controller
                        + " controller on to the container: its parent does not delegate it");
            }
        }
        Set<String> enabled = Set.of(StatFiles.text(parent.resolve(SUBTREE_CONTROL)).split(" "));
        List<String> missing = wanted.stream().filter(c -> available.contains(c) && !enabled.contains(c)).sorted().toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            KernelFiles.write(parent.resolve(SUBTREE_CONTROL), String.join(" ", missing.stream().map(c -> "+" + c).toList()));
        } catch (SystemCallException e) {
            if (e.errno() == Libc.EBUSY()) {
                throw new IllegalStateException(e.getMessage() + ": cgroup v2 lets a cgroup with processes of its own"
                        + " pass no controllers to its children; run jrun in a cgroup of its own, or give the"
                        + " container an absolute cgroup path", e);
            }
            throw e;
        }
    }

    @Override
    public List<Path> directories() {
        return List.of(dir);
    }

    @Override
    public void add(int pid) {
        CgroupDirectories.add(dir, pid);
    }

    @Override
    public void freeze() {
        KernelFiles.write(dir.resolve("cgroup.freeze"), "1");
        Waiting.until(() -> event("frozen") == 1, "cgroup " + dir + " is frozen");
    }

    @Override
    public void thaw() {
        KernelFiles.write(dir.resolve("cgroup.freeze"), "0");
    }

    @Override
    public boolean isFrozen() {
        return frozen(dir);
    }

    /** {@return whether the cgroup v2 directory {@code dir} is frozen} */
    static boolean frozen(Path dir) {
        return StatFiles.text(dir.resolve("cgroup.freeze")).equals("1");
    }

    @Override
    public List<Integer> pids() {
        return CgroupDirectories.pids(directories());
    }

    private long event(String key) {
        return StatFiles.keyed(dir.resolve(EVENTS)).getOrDefault(key, 0L);
    }

    @Override
    public ResourceStats stats() {
        return new ResourceStats(cpu(), memory(), pidsStats());
    }

    private Optional<ResourceStats.Cpu> cpu() {
        Map<String, Long> stat = StatFiles.keyed(dir.resolve("cpu.stat"));
        if (!stat.containsKey("usage_usec")) {
            return Optional.empty();
        }
        return Optional.of(new ResourceStats.Cpu(micros(stat, "usage_usec"), micros(stat, "user_usec"),
                micros(stat, "system_usec"), stat.getOrDefault("nr_periods", 0L),
                stat.getOrDefault("nr_throttled", 0L), micros(stat, "throttled_usec")));
    }

    private static long micros(Map<String, Long> stat, String key) {
        return stat.getOrDefault(key, 0L) * NANOS_PER_MICRO;
    }

    private Optional<ResourceStats.Memory> memory() {
        if (!Files.exists(dir.resolve("memory.current"))) {
            return Optional.empty();
        }
        long usage = StatFiles.number(dir.resolve("memory.current")).orElse(0);
        return Optional.of(new ResourceStats.Memory(usage, StatFiles.number(dir.resolve("memory.peak")).orElse(usage),
                StatFiles.number(dir.resolve("memory.max")),
                StatFiles.keyed(dir.resolve("memory.events")).getOrDefault("oom_kill", 0L)));
    }

    private Optional<ResourceStats.Pids> pidsStats() {
        if (!Files.exists(dir.resolve("pids.current"))) {
            return Optional.empty();
        }
        OptionalLong limit = StatFiles.number(dir.resolve("pids.max"));
        return Optional.of(new ResourceStats.Pids(StatFiles.number(dir.resolve("pids.current")).orElse(0), limit,
                StatFiles.keyed(dir.resolve("pids.events")).getOrDefault("max", 0L)));
    }

    @Override
    public void delete() {
        if (!Files.exists(dir)) {
            return;
        }
        Path kill = dir.resolve("cgroup.kill");
        if (Files.exists(kill) && event("populated") == 1) {
            KernelFiles.write(kill, "1");
        }
        CgroupDirectories.killAll(List.of(dir));
        Waiting.until(() -> event("populated") == 0, "cgroup " + dir + " is empty");
        CgroupDirectories.remove(created);
    }

    @Override
    public boolean removeIfEmpty() {
        return CgroupDirectories.removeIfEmpty(dir, created);
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
