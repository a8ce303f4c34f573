package dev.jrun.internal.userns;

import dev.jrun.IdMapping;
import dev.jrun.bindings.Libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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
    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path GROUP = Path.of("/etc/group");

    public IdMaps {
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
    }

    /**
     * {@return the maps for a launcher that is not root, with effective ids {@code uid} and {@code gid}:
     * the container's root is the launcher's user, and container IDs from 1 are the user's subordinate
     * IDs in /etc/subuid and /etc/subgid, when it has some and newuidmap/newgidmap are installed}
     */
    public static IdMaps rootless(long uid, long gid) {
        String user = System.getProperty("user.name");
        return new IdMaps(ownWithSubordinates(uid, SubordinateIds.of(SubordinateIds.SUBUID, user, uid), IdMapHelpers.NEWUIDMAP),
                ownWithSubordinates(gid, SubordinateIds.of(SubordinateIds.SUBGID, user, uid), IdMapHelpers.NEWGIDMAP));
    }

    private static List<IdMapping> ownWithSubordinates(long own, List<SubordinateIds.Range> ranges, String helper) {
        List<IdMapping> maps = new ArrayList<>(List.of(new IdMapping(0, own, 1)));
        if (IdMapHelpers.find(helper).isPresent()) {
            long next = 1;
            for (SubordinateIds.Range range : ranges) {
                maps.add(new IdMapping(next, range.start(), range.count()));
                next += range.count();
            }
        }
        return maps;
    }

    /**
     * {@return maps giving container IDs 0..65535 unprivileged host IDs: root's ranges in /etc/subuid and
     * /etc/subgid when it has some, otherwise the first 65536 IDs from 524288 (systemd's range for
     * containers) on that no subordinate range, user or group of this host uses}
     */
    public static IdMaps remapped() {
        String user = System.getProperty("user.name");
        long uid = Integer.toUnsignedLong(Libc.geteuid());
        List<SubordinateIds.Range> uidRanges = SubordinateIds.of(SubordinateIds.SUBUID, user, uid);
        List<SubordinateIds.Range> gidRanges = SubordinateIds.of(SubordinateIds.SUBGID, user, uid);
        if (!uidRanges.isEmpty() && !gidRanges.isEmpty()) {
            return new IdMaps(fromZero(uidRanges.getFirst()), fromZero(gidRanges.getFirst()));
        }
        long start = freeRange();
        List<IdMapping> maps = List.of(new IdMapping(0, start, CONTAINER_IDS));
        return new IdMaps(maps, maps);
    }

    private static List<IdMapping> fromZero(SubordinateIds.Range range) {
        return List.of(new IdMapping(0, range.start(), Math.min(range.count(), CONTAINER_IDS)));
    }

    /** {@return the start of the first free 65536-aligned range from 524288} */
    private static long freeRange() {
        List<SubordinateIds.Range> used = Stream.of(SubordinateIds.all(SubordinateIds.SUBUID).stream(),
                        SubordinateIds.all(SubordinateIds.SUBGID).stream(), idsIn(PASSWD, 2), idsIn(GROUP, 2))
                .flatMap(s -> s)
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

    /** {@return the numeric field {@code index} of each line of a passwd-style file, as ranges of one} */
    private static Stream<SubordinateIds.Range> idsIn(Path file, int index) {
        if (!Files.isReadable(file)) {
            return Stream.empty();
        }
        try {
            return Files.readAllLines(file).stream()
                    .map(line -> line.split(":"))
                    .filter(fields -> fields.length > index && fields[index].matches("\\d+"))
                    .map(fields -> new SubordinateIds.Range(Long.parseLong(fields[index]), 1));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
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
