package dev.jrun.internal.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The fields of a {@code /proc/<pid>/mountinfo} line that jrun needs.
 *
 * @param root          the root of the mount within its filesystem
 * @param mountPoint    where it is mounted
 * @param fsType        the filesystem type, such as {@code cgroup2}
 * @param superOptions  the per-superblock options (for cgroup v1: its controllers)
 */
public record MountInfo(String root, Path mountPoint, String fsType, List<String> superOptions) {

    private static final Path OWN = Path.of("/proc/self/mountinfo");

    /** {@return the mounts this process sees, in mount order} */
    public static List<MountInfo> ofThisProcess() {
        try {
            return Files.readAllLines(OWN).stream().map(MountInfo::parse).filter(Objects::nonNull).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + OWN, e);
        }
    }

    /**
     * {@return one line parsed, or null when it is not a mountinfo line}
     *
     * <p>{@code id parent major:minor root mountpoint options [optional...] - fstype source superoptions}
     */
    public static MountInfo parse(String line) {
        int separator = line.indexOf(" - ");
        if (separator < 0) {
            return null;
        }
        String[] before = line.substring(0, separator).split(" ");
        String[] after = line.substring(separator + 3).split(" ");
        if (before.length < 5 || after.length < 3) {
            return null;
        }
        return new MountInfo(unescape(before[3]), Path.of(unescape(before[4])), after[0],
                Arrays.asList(after[2].split(",")));
    }

    /** mountinfo writes space, tab, newline and backslash as three octal digits. */
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
}
