package dev.jrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a {@code mountinfo} file (proc(5)): one mount a line, the mount point its fifth field. */
public final class Mountinfo {

    /** The mount table of this JVM's mount namespace. */
    public static final Path OWN = Path.of("/proc/self/mountinfo");

    private Mountinfo() {
    }

    /** {@return the mount points listed in {@code mountinfo}, sorted} */
    public static List<String> mountPoints(Path mountinfo) {
        try {
            return parse(Files.readString(mountinfo));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the mount points in the text of a mountinfo file, sorted} */
    public static List<String> parse(String mountinfo) {
        return mountinfo.lines().map(line -> unescape(line.split(" ")[4])).sorted().toList();
    }

    /** {@return the filesystem type of each mount on {@code mountPoint}, in the text of a mountinfo file} */
    public static List<String> typesMountedOn(String mountinfo, String mountPoint) {
        return mountinfo.lines()
                .filter(line -> unescape(line.split(" ")[4]).equals(mountPoint))
                .map(line -> line.substring(line.indexOf(" - ") + 3).split(" ")[0])
                .toList();
    }

    /** The kernel writes space, tab, newline and backslash in paths as {@code \ooo} octal escapes. */
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
