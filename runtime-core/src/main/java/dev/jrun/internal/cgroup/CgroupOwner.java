package dev.jrun.internal.cgroup;

import dev.jrun.internal.sys.ProcStat;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process a container's cgroup belongs to, written into the cgroup's
 * name ({@code jrun-<pid>-<start time>-<random>}) for containers that die
 * with that process: once it is gone, so is the container, and any jrun may
 * remove the cgroup it left behind. The start time tells the owner from a
 * later process that got its PID.
 *
 * @param pid       the owner's PID
 * @param startTime when the owner started, in clock ticks since boot
 */
record CgroupOwner(long pid, long startTime) {

    private static final Pattern OWNED_NAME = Pattern.compile("jrun-(\\d{1,10})-(\\d{1,19})-[0-9a-f]+");
    private static final CgroupOwner THIS_PROCESS = new CgroupOwner(ProcessHandle.current().pid(),
            ProcStat.of(ProcessHandle.current().pid()).orElseThrow().startTime());

    /** {@return this process} */
    static CgroupOwner thisProcess() {
        return THIS_PROCESS;
    }

    /** {@return the owner a cgroup's name records, or empty for a name that records none} */
    static Optional<CgroupOwner> ofName(String name) {
        Matcher matcher = OWNED_NAME.matcher(name);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new CgroupOwner(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@return a cgroup name that records this owner, made unique by {@code suffix} (hex digits)} */
    String cgroupName(String suffix) {
        return "jrun-" + pid + "-" + startTime + "-" + suffix;
    }

    /** {@return whether the owner has ended: no process has its PID, or a later one does} */
    boolean isGone() {
        return ProcStat.of(pid).map(stat -> stat.startTime() != startTime || stat.ended()).orElse(true);
    }
}
