package dev.jrun.internal.userns;

import dev.jrun.model.IdMapping;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The uid and gid maps of a container's user namespace, how they can be
 * written, and the maps jrun chooses itself: for a rootless launcher, and for
 * a root launcher asked to remap the container's root.
 *
 * @param uids the uid mappings
 * @param gids the gid mappings
 */
public record IdMaps(List<IdMapping> uids, List<IdMapping> gids) {

    /** How many IDs a remapped or rootless container gets from a subordinate range: a 16-bit ID space. */
    public static final long CONTAINER_IDS = 65_536;
    /** The kernel's limit on lines in one map. */
    private static final int MAX_LINES = 340;
    /** Where remapped ranges start when root has none: the container range of systemd's UID allocation. */
    private static final long FREE_RANGE_START = 524_288;

    public IdMaps {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    /**
     * {@return the maps for a launcher that is not root, with effective ids {@code uid} and {@code gid}:
     * the container's root is the launcher's user, and container IDs from 1 are the user's subordinate
     * IDs in /etc/subuid and /etc/subgid, when it has some and newuidmap/newgidmap are installed}
     */
    public static IdMaps rootless(long uid, long gid, HostIds host) {
        return new IdMaps(ownWithSubordinates(uid, host.subuids(), host.newuidmap()),
                ownWithSubordinates(gid, host.subgids(), host.newgidmap()));
    }

    private static List<IdMapping> ownWithSubordinates(long own, List<SubordinateIds.Range> ranges, boolean helper) {
        List<IdMapping> maps = new ArrayList<>(List.of(new IdMapping(0, own, 1)));
        if (helper) {
            long next = 1;
            for (SubordinateIds.Range range : ranges) {
                maps.add(new IdMapping(next, range.start(), range.count()));
                next += range.count();
            }
        }
        return maps;
    }

    /**
     * {@return maps giving container IDs 0..65535 unprivileged host IDs: the launcher's (root's) ranges in
     * /etc/subuid and /etc/subgid when it has some, otherwise the first 65536 IDs from 524288 (systemd's
     * range for containers) on that no subordinate range, user or group of this host uses}
     */
    public static IdMaps remapped(HostIds host) {
        if (!host.subuids().isEmpty() && !host.subgids().isEmpty()) {
            return new IdMaps(fromZero(host.subuids().getFirst()), fromZero(host.subgids().getFirst()));
        }
        long start = freeRange(host.taken());
        List<IdMapping> maps = List.of(new IdMapping(0, start, CONTAINER_IDS));
        return new IdMaps(maps, maps);
    }

    private static List<IdMapping> fromZero(SubordinateIds.Range range) {
        return List.of(new IdMapping(0, range.start(), Math.min(range.count(), CONTAINER_IDS)));
    }

    /** {@return the start of the first 65536-aligned range from 524288 that overlaps none {@code taken}} */
    private static long freeRange(List<SubordinateIds.Range> taken) {
        List<SubordinateIds.Range> used = taken.stream()
                .sorted(Comparator.comparingLong(SubordinateIds.Range::start))
                .toList();
        long start = FREE_RANGE_START;
        for (SubordinateIds.Range range : used) {
            if (range.start() < start + CONTAINER_IDS && range.end() > start) {
                start = (range.end() + CONTAINER_IDS - 1) / CONTAINER_IDS * CONTAINER_IDS;
            }
        }
        return start;
    }

    /**
     * Checks the maps as the kernel will when they are written, and that they map the
     * container's root, which the container's setup runs as.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public void validate() {
        validate("uid", uids);
        validate("gid", gids);
    }

    private static void validate(String kind, List<IdMapping> maps) {
        if (maps.isEmpty()) {
            throw new IllegalArgumentException("a new user namespace needs " + kind + " mappings");
        }
        if (maps.size() > MAX_LINES) {
            throw new IllegalArgumentException(maps.size() + " " + kind + " mappings are more than the kernel's "
                    + MAX_LINES);
        }
        if (!IdMapping.anyMaps(maps, 0)) {
            throw new IllegalArgumentException(kind + " mappings " + maps + " do not map the container's root ("
                    + kind + " 0), which sets the container up");
        }
        for (int i = 0; i < maps.size(); i++) {
            for (int j = i + 1; j < maps.size(); j++) {
                IdMapping a = maps.get(i);
                IdMapping b = maps.get(j);
                if (overlap(a.containerId(), b.containerId(), a.size(), b.size())
                        || overlap(a.hostId(), b.hostId(), a.size(), b.size())) {
                    throw new IllegalArgumentException(kind + " mappings " + a + " and " + b + " overlap");
                }
            }
        }
    }

    private static boolean overlap(long a, long b, long sizeA, long sizeB) {
        return a < b + sizeB && b < a + sizeA;
    }

    /**
     * {@return whether a launcher with these effective ids, when not root, writes these gid maps
     * itself, so setgroups must be denied first}
     */
    public boolean setgroupsDenied(long euid, long egid) {
        return euid != 0 && ownIdOnly(gids, egid);
    }

    /** {@return whether {@code maps} map just the launcher's own {@code id}, which it may write without a helper} */
    static boolean ownIdOnly(List<IdMapping> maps, long id) {
        return maps.size() == 1 && maps.getFirst().hostId() == id && maps.getFirst().size() == 1;
    }
}
