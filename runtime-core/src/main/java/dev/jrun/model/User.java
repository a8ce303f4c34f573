package dev.jrun.model;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Who a container's command runs as (OCI {@code process.user}): a user ID, a
 * group ID, supplementary groups and optionally a umask. Immutable.
 *
 * <p>IDs are numbers as the container sees them; in a user namespace they
 * must be mapped (see {@link dev.jrun.Container.Builder#uidMappings}).
 *
 * @param uid            the user ID, 0 to 4294967294
 * @param gid            the group ID, 0 to 4294967294
 * @param additionalGids supplementary group IDs; none means the inherited groups are cleared
 * @param umask          the file mode creation mask, or empty to keep the launcher's
 */
public record User(long uid, long gid, List<Long> additionalGids, OptionalInt umask) {

    /** The largest valid ID: {@code (uid_t) -1} means "no change" to the kernel. */
    public static final long MAX_ID = 0xFFFF_FFFEL;
    private static final int MAX_UMASK = 0777;

    public User {
        requireId("uid", uid);
        requireId("gid", gid);
        additionalGids = List.copyOf(additionalGids);
        additionalGids.forEach(g -> requireId("additional gid", g));
        umask.ifPresent(mask -> {
            if (mask < 0 || mask > MAX_UMASK) {
                throw new IllegalArgumentException("umask " + Integer.toOctalString(mask) + " is not between 0 and 0777");
            }
        });
    }

    /** {@return root: uid 0, gid 0, no supplementary groups} */
    public static User root() {
        return of(0, 0);
    }

    /** {@return the user with this uid and gid, no supplementary groups, the launcher's umask} */
    public static User of(long uid, long gid) {
        return new User(uid, gid, List.of(), OptionalInt.empty());
    }

    /**
     * {@return the user a {@code UID[:GID]} argument names, as {@code jrun run --user} takes it; the gid
     * defaults to the uid}
     *
     * @throws IllegalArgumentException if it is not one or two numbers
     */
    public static User parse(String spec) {
        String[] parts = spec.split(":", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("invalid user \"" + spec + "\": expected UID or UID:GID");
        }
        long uid = parseId(spec, parts[0]);
        return of(uid, parts.length == 2 ? parseId(spec, parts[1]) : uid);
    }

    /** {@return this user with these supplementary groups} */
    public User withAdditionalGids(List<Long> gids) {
        return new User(uid, gid, gids, umask);
    }

    /** {@return this user with this umask, e.g. {@code 022}} */
    public User withUmask(int mask) {
        return new User(uid, gid, additionalGids, OptionalInt.of(mask));
    }

    /** {@return every group ID the user has: its gid and the supplementary ones} */
    public List<Long> allGids() {
        return Stream.concat(Stream.of(gid), additionalGids.stream()).toList();
    }

    private static long parseId(String spec, String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid user \"" + spec + "\": \"" + id
                    + "\" is not a number (names are not looked up: the container's /etc/passwd is not the host's)");
        }
    }

    private static void requireId(String what, long id) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException(what + " " + id + " is not between 0 and " + MAX_ID);
        }
    }

    @Override
    public String toString() {
        String groups = additionalGids.isEmpty() ? ""
                : " groups " + additionalGids.stream().map(String::valueOf).collect(Collectors.joining(","));
        return "uid " + uid + " gid " + gid + groups;
    }
}
