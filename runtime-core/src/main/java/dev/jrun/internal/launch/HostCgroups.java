package dev.jrun.internal.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The cgroup hierarchies mounted on the host at {@code /sys/fs/cgroup}, as
 * {@code /proc/self/mountinfo} lists them: one {@code cgroup2} filesystem on
 * a unified host, a tmpfs with one directory per hierarchy on a v1 or hybrid
 * host. A container's {@code cgroup} mount repeats this layout with fresh
 * mounts, which show the container's cgroup namespace.
 */
final class HostCgroups {

    static final String ROOT = "/sys/fs/cgroup";
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    /**
     * One mounted hierarchy.
     *
     * @param name    the directory under {@code /sys/fs/cgroup}, or empty for the unified root itself
     * @param type    {@code cgroup} or {@code cgroup2}
     * @param options the mount data that selects the hierarchy ({@code cpu,cpuacct}, {@code name=systemd}), or empty
     */
    record Hierarchy(String name, String type, String options) {
    }

    private HostCgroups() {
    }

    /**
     * {@return the hierarchies, in mount order}
     *
     * @throws IllegalStateException if none is mounted at /sys/fs/cgroup
     */
    static List<Hierarchy> hierarchies() {
        List<Hierarchy> found = new ArrayList<>();
        for (String line : mountinfo()) {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            String[] halves = line.split(" - ", 2);
            String[] fields = halves[0].split(" ");
            String[] tail = halves[1].split(" ");
            String mountPoint = unescape(fields[4]);
            String type = tail[0];
            if (!type.equals("cgroup") && !type.equals("cgroup2")) {
                continue;
            }
            if (mountPoint.equals(ROOT)) {
                found.add(new Hierarchy("", type, ""));
            } else if (mountPoint.startsWith(ROOT + "/") && mountPoint.indexOf('/', ROOT.length() + 1) < 0) {
                found.add(new Hierarchy(mountPoint.substring(ROOT.length() + 1), type,
                        type.equals("cgroup") ? selectingOptions(tail[2]) : ""));
            }
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("the host has no cgroup filesystem mounted at " + ROOT);
        }
        return found;
    }

    /** The super options that pick a v1 hierarchy: its controllers and name, not rw/ro or release_agent. */
    private static String selectingOptions(String superOptions) {
        return Arrays.stream(superOptions.split(","))
                .filter(o -> !o.equals("rw") && !o.equals("ro") && !o.startsWith("release_agent="))
                .collect(Collectors.joining(","));
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static List<String> mountinfo() {
        try {
            return Files.readAllLines(MOUNTINFO);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + MOUNTINFO, e);
        }
    }
}
