package dev.jrun.internal.flags;

import java.util.List;
import java.util.Set;

/**
 * The options a tmpfs that a user names by its target alone ({@code --tmpfs PATH:OPTIONS}) may
 * take: mount flags and tmpfs's own (tmpfs(5)). Anything else would reach the kernel as data and
 * fail only at the mount, as EINVAL without the option's name, so it is refused here instead.
 */
public final class TmpfsOptions {

    /** Docker's for {@code --tmpfs}: what the user's options can turn back on ({@code exec}...). */
    public static final List<String> DOCKER_DEFAULTS = List.of("noexec", "nosuid", "nodev");

    private static final Set<String> WITH_VALUE = Set.of("size", "nr_blocks", "nr_inodes", "mode", "uid", "gid",
            "huge", "mpol", "usrquota_block_hardlimit", "usrquota_inode_hardlimit", "grpquota_block_hardlimit",
            "grpquota_inode_hardlimit");
    private static final Set<String> WITHOUT_VALUE = Set.of("noswap", "inode32", "inode64", "quota", "usrquota",
            "grpquota");
    /** Known mount options that would make it something other than a new tmpfs. */
    private static final Set<String> NOT_FOR_TMPFS = Set.of("bind", "rbind");

    private TmpfsOptions() {
    }

    /**
     * Checks the options of a tmpfs at {@code target}.
     *
     * @throws IllegalArgumentException naming the first option that is neither a mount flag nor tmpfs's
     */
    public static void check(String target, List<String> options) {
        for (String option : options) {
            int equals = option.indexOf('=');
            boolean tmpfsOwn = equals < 0 ? WITHOUT_VALUE.contains(option)
                    : equals < option.length() - 1 && WITH_VALUE.contains(option.substring(0, equals));
            boolean mountFlag = MountOptions.known().contains(option) && !NOT_FOR_TMPFS.contains(option);
            if (!tmpfsOwn && !mountFlag) {
                throw new IllegalArgumentException("tmpfs " + target + ": \"" + option + "\" is not a tmpfs option"
                        + " (mount flags such as ro, exec, nosuid; size=, mode=, uid=, gid=, nr_inodes=, nr_blocks=,"
                        + " huge=, mpol=, noswap, inode64; see tmpfs(5))");
            }
        }
    }
}
