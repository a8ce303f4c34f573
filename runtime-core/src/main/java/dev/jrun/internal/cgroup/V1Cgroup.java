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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A container's cgroup on a v1 host: a directory in every v1 hierarchy, and
 * on a hybrid host a cgroup in the unified hierarchy too when a limit needs a
 * controller only that one offers (hugetlb, on some hosts).
 */
final class V1Cgroup implements ContainerCgroup {

    private static final String FREEZER_STATE = "freezer.state";
    private static final String FROZEN = "FROZEN";
    private static final String THAWED = "THAWED";
    /** v1 reports "no memory limit" as the largest page-aligned counter value. */
    private static final long UNLIMITED_MEMORY = 1L << 62;

    /**
     * A period and the time that is a share of it: a shorter period can put the current share above
     * what the parent cgroup allows (EINVAL); with the new share written first it may fit.
     */
    private static final Map<String, String> SHARE_OF_PERIOD = Map.of(V1Limits.CFS_PERIOD, V1Limits.CFS_QUOTA,
            V1Limits.RT_PERIOD, V1Limits.RT_RUNTIME);

    private final Map<CgroupHierarchy, Path> dirs;
    /** The directories this cgroup created, per hierarchy, top first. */
    private final List<List<Path>> created;
    private final Optional<V2Cgroup> unifiedPart;

    private V1Cgroup(Map<CgroupHierarchy, Path> dirs, List<List<Path>> created, Optional<V2Cgroup> unifiedPart) {
        this.dirs = dirs;
        this.created = created;
        this.unifiedPart = unifiedPart;
    }

    /** {@return the cgroup made of these existing directories} */
    static V1Cgroup existing(Map<CgroupHierarchy, Path> dirs, Optional<V2Cgroup> unifiedPart) {
        return new V1Cgroup(new LinkedHashMap<>(dirs), dirs.values().stream().map(List::of).toList(), unifiedPart);
    }

    /** Creates the directories and writes the limits; on failure removes what it created. */
    static V1Cgroup create(List<CgroupHierarchy> hierarchies, Optional<CgroupHierarchy> unified, String cgroupsPath,
                           Resources resources) {
        Map<CgroupHierarchy, Path> dirs = new LinkedHashMap<>();
        List<List<Path>> created = new ArrayList<>();
        V1Cgroup cgroup = new V1Cgroup(dirs, created, Optional.empty());
        try {
            for (CgroupHierarchy hierarchy : hierarchies) {
                Path leaf = CgroupPaths.directory(hierarchy, cgroupsPath);
                List<Path> missing = CgroupPaths.missing(hierarchy, leaf);
                CgroupDirectories.requireUsable(leaf);
                if (hierarchy.has("cpuset")) {
                    fillEmptyCpusets(hierarchy, missing.isEmpty() ? leaf : missing.getFirst().getParent());
                }
                List<Path> createdHere = new ArrayList<>();
                created.add(createdHere);
                for (Path dir : missing) {
                    KernelFiles.mkdir(dir);
                    createdHere.add(dir);
                    if (hierarchy.has("cpuset")) {
                        inheritCpuset(dir);
                    }
                }
                dirs.put(hierarchy, leaf);
            }
            Set<String> forUnified = new HashSet<>();
            List<CgroupWrite> inV1 = new ArrayList<>();
            for (CgroupWrite write : V1Limits.writes(resources, cgroup::hasFile)) {
                if (cgroup.directory(write.controller()).isPresent()) {
                    inV1.add(write);
                } else {
                    forUnified.add(write.controller());
                }
            }
            cgroup.writeInOrder(inV1);
            // On a hybrid host the container has a directory in the unified hierarchy even with no limit
            // there, as runc's: its processes, exec'd ones too, show one cgroup path in every hierarchy.
            // The limits go there only when some are for it: v2 refuses v1's own (memory.swappiness).
            Optional<V2Cgroup> unifiedPart = unified.isEmpty() && forUnified.isEmpty() ? Optional.empty()
                    : Optional.of(V2Cgroup.create(unified.orElseThrow(), cgroupsPath,
                            forUnified.isEmpty() ? Resources.none() : resources, forUnified));
            return new V1Cgroup(dirs, created, unifiedPart);
        } catch (RuntimeException e) {
            // No process of the container is in it yet; one made ahead may hold another's, which stay.
            created.forEach(CgroupDirectories::remove);
            throw e;
        }
    }

    @Override
    public void update(Resources resources) {
        List<CgroupWrite> writes = V1Limits.writes(resources, this::hasFile).stream()
                .filter(write -> !write.controller().equals("devices")).toList();
        writeInOrder(memoryAndSwapInOrder(writes));
    }

    /** Writes each file in order; a period refused for the current share of it is tried again after its new share. */
    private void writeInOrder(List<CgroupWrite> writes) {
        Set<String> files = new HashSet<>();
        writes.forEach(write -> files.add(write.file()));
        List<CgroupWrite> periodsAfterShares = new ArrayList<>();
        for (CgroupWrite write : writes) {
            try {
                writeFile(write);
            } catch (SystemCallException e) {
                // As runc does (SHARE_OF_PERIOD).
                if (!files.contains(SHARE_OF_PERIOD.getOrDefault(write.file(), "")) || e.errno() != Libc.EINVAL()) {
                    throw e;
                }
                periodsAfterShares.add(write);
            }
        }
        periodsAfterShares.forEach(this::writeFile);
    }

    private void writeFile(CgroupWrite write) {
        Path dir = directory(write.controller()).orElseThrow(() -> new IllegalArgumentException(
                "cannot update " + write.file() + ": the cgroup has no " + write.controller() + " hierarchy"));
        KernelFiles.write(dir.resolve(write.file()), write.value());
    }

    /**
     * The kernel keeps memory at or below memory+swap at every write: when the new memory limit is
     * above the current memory+swap limit, memory+swap goes first.
     */
    private List<CgroupWrite> memoryAndSwapInOrder(List<CgroupWrite> writes) {
        Optional<CgroupWrite> memory = writes.stream().filter(w -> w.file().equals("memory.limit_in_bytes")).findFirst();
        Optional<CgroupWrite> swap = writes.stream().filter(w -> w.file().equals(V1Limits.MEMSW)).findFirst();
        if (memory.isEmpty() || swap.isEmpty()) {
            return writes;
        }
        long currentSwap = Long.parseLong(StatFiles.text(directory("memory").orElseThrow().resolve(V1Limits.MEMSW)));
        long newMemory = Long.parseLong(memory.get().value());
        if (newMemory != -1 && newMemory <= currentSwap) {
            return writes;
        }
        List<CgroupWrite> ordered = new ArrayList<>(writes);
        ordered.remove(swap.get());
        ordered.add(ordered.indexOf(memory.get()), swap.get());
        return ordered;
    }

    /**
     * An existing parent someone else made (a pod's cgroup), or the container's own cgroup made
     * ahead, may have no CPUs or memory nodes yet, and then no process may join it or a cgroup below
     * it (ENOSPC): as runc does, each such directory down to {@code parent}, top first, gets its parent's.
     */
    private static void fillEmptyCpusets(CgroupHierarchy hierarchy, Path parent) {
        List<Path> ancestors = new ArrayList<>();
        for (Path dir = parent; !dir.equals(hierarchy.mountPoint()); dir = dir.getParent()) {
            ancestors.addFirst(dir);
        }
        for (Path dir : ancestors) {
            if (StatFiles.text(dir.resolve("cpuset.cpus")).isBlank() || StatFiles.text(dir.resolve("cpuset.mems")).isBlank()) {
                inheritCpuset(dir);
            }
        }
    }

    private static void inheritCpuset(Path dir) {
        for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
            KernelFiles.write(dir.resolve(file), StatFiles.text(dir.getParent().resolve(file)));
        }
    }

    private Optional<Path> directory(String controller) {
        return dirs.entrySet().stream().filter(e -> e.getKey().has(controller)).map(Map.Entry::getValue).findFirst();
    }

    private boolean hasFile(String file) {
        String controller = file.substring(0, file.indexOf('.'));
        return directory(controller).map(dir -> Files.exists(dir.resolve(file))).orElse(false);
    }

    @Override
    public List<Path> directories() {
        List<Path> all = new ArrayList<>(dirs.values());
        unifiedPart.ifPresent(part -> all.addAll(part.directories()));
        return all;
    }

    @Override
    public void add(int pid) {
        dirs.values().forEach(dir -> CgroupDirectories.add(dir, pid));
        unifiedPart.ifPresent(part -> part.add(pid));
    }

    @Override
    public void freeze() {
        Path state = freezer().resolve(FREEZER_STATE);
        KernelFiles.write(state, FROZEN);
        Waiting.until(() -> StatFiles.text(state).equals(FROZEN), "cgroup " + state.getParent() + " is frozen");
    }

    @Override
    public void thaw() {
        KernelFiles.write(freezer().resolve(FREEZER_STATE), THAWED);
    }

    @Override
    public boolean isFrozen() {
        return directory("freezer").filter(V1Cgroup::frozen).isPresent();
    }

    /** {@return whether the freezer's directory {@code dir} is frozen; false for a directory of another hierarchy} */
    static boolean frozen(Path dir) {
        // FREEZING counts: the kernel finishes what freeze() began.
        String state = StatFiles.text(dir.resolve(FREEZER_STATE));
        return !state.isEmpty() && !state.equals(THAWED);
    }

    @Override
    public List<Integer> pids() {
        return CgroupDirectories.pids(directories());
    }

    private Path freezer() {
        return directory("freezer").orElseThrow(() -> new IllegalStateException(
                "this host has no freezer cgroup controller, so containers cannot be paused"));
    }

    @Override
    public ResourceStats stats() {
        return new ResourceStats(directory("cpuacct").map(this::cpu), directory("memory").map(V1Cgroup::memory),
                directory("pids").map(V1Cgroup::pids));
    }

    private ResourceStats.Cpu cpu(Path cpuacct) {
        Map<String, Long> throttling = directory("cpu").map(dir -> StatFiles.keyed(dir.resolve("cpu.stat"))).orElse(Map.of());
        return new ResourceStats.Cpu(StatFiles.number(cpuacct.resolve("cpuacct.usage")).orElse(0),
                StatFiles.number(cpuacct.resolve("cpuacct.usage_user")).orElse(0),
                StatFiles.number(cpuacct.resolve("cpuacct.usage_sys")).orElse(0),
                throttling.getOrDefault("nr_periods", 0L), throttling.getOrDefault("nr_throttled", 0L),
                throttling.getOrDefault("throttled_time", 0L));
    }

    private static ResourceStats.Memory memory(Path dir) {
        long limit = StatFiles.number(dir.resolve("memory.limit_in_bytes")).orElse(UNLIMITED_MEMORY);
        return new ResourceStats.Memory(StatFiles.number(dir.resolve("memory.usage_in_bytes")).orElse(0),
                StatFiles.number(dir.resolve("memory.max_usage_in_bytes")).orElse(0),
                limit >= UNLIMITED_MEMORY ? OptionalLong.empty() : OptionalLong.of(limit),
                StatFiles.keyed(dir.resolve("memory.oom_control")).getOrDefault("oom_kill", 0L));
    }

    private static ResourceStats.Pids pids(Path dir) {
        return new ResourceStats.Pids(StatFiles.number(dir.resolve("pids.current")).orElse(0),
                StatFiles.number(dir.resolve("pids.max")),
                StatFiles.keyed(dir.resolve("pids.events")).getOrDefault("max", 0L));
    }

    @Override
    public void delete() {
        List<Path> existing = dirs.values().stream().filter(Files::exists).toList();
        if (!existing.isEmpty()) {
            // Frozen processes cannot die: thaw them first.
            directory("freezer").filter(Files::exists).ifPresent(dir -> thaw());
            CgroupDirectories.killAll(existing);
        }
        created.forEach(CgroupDirectories::remove);
        unifiedPart.ifPresent(V2Cgroup::delete);
    }

    @Override
    public boolean removeIfEmpty() {
        // Hierarchy by hierarchy: a cgroup made ahead may hold another's processes in some only.
        List<Path> leaves = List.copyOf(dirs.values());
        boolean gone = true;
        for (int i = 0; i < leaves.size(); i++) {
            gone &= CgroupDirectories.removeIfEmpty(leaves.get(i), created.get(i));
        }
        return unifiedPart.map(V2Cgroup::removeIfEmpty).orElse(true) && gone;
    }

    @Override
    public String toString() {
        return directories().toString();
    }
}
