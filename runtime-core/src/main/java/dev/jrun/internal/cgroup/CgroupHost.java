package dev.jrun.internal.cgroup;

import dev.jrun.internal.sys.Credentials;
import dev.jrun.internal.sys.MountInfo;


import dev.jrun.internal.sys.MountInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What cgroups this host has, found by probing: the cgroup and cgroup2 mounts
 * in {@code /proc/self/mountinfo}, the controllers each offers, and where this
 * process sits in each ({@code /proc/self/cgroup}). A host with v1 hierarchies
 * (legacy, or hybrid with a cgroup2 mount beside them) gets the v1 driver; a
 * host with only cgroup2 gets the v2 driver. Of the v1 hierarchies named
 * instead of having controllers, systemd's ({@code name=systemd}) counts as one,
 * as with runc.
 */
public final class CgroupHost {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN_CGROUPS = Path.of("/proc/self/cgroup");
    private static final Path KNOWN_CONTROLLERS = Path.of("/proc/cgroups");
    private static final String UNIFIED_ID = "0";
    /**
     * systemd's named hierarchy: no controller, but runc places containers there too, so that their
     * processes show one cgroup path in every hierarchy.
     */
    private static final String SYSTEMD_HIERARCHY = "name=systemd";

    private static volatile CgroupHost probed;

    private final List<CgroupHierarchy> v1;
    private final Optional<CgroupHierarchy> unified;
    private final List<CgroupMounts.Hierarchy> mounted;

    CgroupHost(List<CgroupHierarchy> v1, Optional<CgroupHierarchy> unified, List<CgroupMounts.Hierarchy> mounted) {
        this.v1 = List.copyOf(v1);
        this.unified = unified;
        this.mounted = List.copyOf(mounted);
    }

    /**
     * {@return this host's cgroups, as this process sees them, probed on the first call only} The
     * plan's host facts, the cgroup task and a cleanup would each read the same three files again.
     */
    public static CgroupHost probe() {
        CgroupHost host = probed;
        if (host == null) {
            host = parse(read(MOUNTINFO), read(OWN_CGROUPS), knownControllers());
            // Two threads probing at once read the same files: either result is right, so no lock.
            probed = host;
        }
        return host;
    }

    /**
     * {@return the driver for this host}
     *
     * @throws IllegalStateException when no cgroup filesystem is mounted
     */
    public CgroupDriver driver() {
        if (!v1.isEmpty()) {
            return new V1Driver(v1, unified);
        }
        return unified.map(V2Driver::new)
                .orElseThrow(() -> new IllegalStateException("this host has no cgroup filesystem mounted"));
    }

    /** {@return the v1 hierarchies} */
    List<CgroupHierarchy> v1() {
        return v1;
    }

    /** {@return the unified hierarchy, if it is mounted} */
    Optional<CgroupHierarchy> unified() {
        return unified;
    }

    /**
     * {@return the hierarchies mounted at {@value CgroupMounts#ROOT}, in mount order: the layout a
     * container's cgroup mount repeats; empty if none is mounted there}
     */
    public List<CgroupMounts.Hierarchy> mounted() {
        return mounted;
    }

    /** {@return why this process cannot create cgroups, or empty when it can (as root, or in a delegated v2 subtree)} */
    public Optional<String> unavailableReason() {
        if (v1.isEmpty() && unified.isEmpty()) {
            return Optional.of("this host has no cgroup filesystem mounted");
        }
        long uid = Credentials.effectiveUid();
        if (uid == 0) {
            return Optional.empty();
        }
        if (!v1.isEmpty()) {
            return Optional.of("this host uses cgroup v1, whose hierarchies only root may change, and jrun runs as uid " + uid);
        }
        Path own = unified.orElseThrow().ownDirectory();
        if (!Files.isWritable(own) || !Files.isWritable(own.resolve("cgroup.procs"))) {
            return Optional.of("jrun runs as uid " + uid + " and its cgroup " + own + " is not delegated to it");
        }
        return Optional.empty();
    }

    static CgroupHost parse(List<String> mountinfo, List<String> ownCgroups, Set<String> knownControllers) {
        Map<Set<String>, String> ownPaths = new HashMap<>();
        String unifiedPath = null;
        for (String line : ownCgroups) {
            String[] fields = line.split(":", 3);
            if (fields.length != 3) {
                continue;
            }
            if (fields[0].equals(UNIFIED_ID) && fields[1].isEmpty()) {
                unifiedPath = fields[2];
            } else {
                ownPaths.put(Set.of(fields[1].split(",")), fields[2]);
            }
        }
        List<CgroupHierarchy> v1 = new ArrayList<>();
        Set<Set<String>> seen = new HashSet<>();
        CgroupHierarchy unified = null;
        List<MountInfo> mounts = mountinfo.stream().map(MountInfo::parse).filter(Objects::nonNull).toList();
        for (MountInfo mount : mounts) {
            if (mount.fsType().equals("cgroup2") && unified == null && unifiedPath != null) {
                unified = new CgroupHierarchy(mount.mountPoint(), true, unifiedControllers(mount.mountPoint()),
                        relative(unifiedPath, mount.root()));
            } else if (mount.fsType().equals("cgroup")) {
                Set<String> controllers = new HashSet<>(mount.superOptions());
                controllers.removeIf(option -> !knownControllers.contains(option) && !option.equals(SYSTEMD_HIERARCHY));
                String own = ownPaths.get(controllers);
                if (!controllers.isEmpty() && own != null && seen.add(controllers)) {
                    v1.add(new CgroupHierarchy(mount.mountPoint(), false, controllers, relative(own, mount.root())));
                }
            }
        }
        return new CgroupHost(v1, Optional.ofNullable(unified), CgroupMounts.hierarchies(mounts));
    }

    /** {@return a cgroup path made relative to what a mount shows (a mount may show just a subtree)} */
    private static String relative(String path, String mountRoot) {
        String rest = path.startsWith(mountRoot) ? path.substring(mountRoot.length()) : path;
        return rest.replaceAll("^/+", "");
    }

    private static Set<String> unifiedControllers(Path mountPoint) {
        Path file = mountPoint.resolve("cgroup.controllers");
        if (!Files.isReadable(file)) {
            return Set.of();
        }
        String text = read(file).stream().findFirst().orElse("").strip();
        return text.isEmpty() ? Set.of() : Set.of(text.split(" "));
    }

    private static Set<String> knownControllers() {
        Set<String> names = new HashSet<>();
        for (String line : read(KNOWN_CONTROLLERS)) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("\\s+")[0]);
            }
        }
        return names;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }
}
