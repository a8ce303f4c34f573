package dev.jrun.testing;

import dev.jrun.internal.sys.MountInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** Reads a {@code mountinfo} file (proc(5)), parsed the way jrun parses it. */
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
        return mounts(mountinfo).map(mount -> mount.mountPoint().toString()).sorted().toList();
    }

    /** {@return the filesystem type of each mount on {@code mountPoint}, in the text of a mountinfo file} */
    public static List<String> typesMountedOn(String mountinfo, String mountPoint) {
        return mounts(mountinfo)
                .filter(mount -> mount.mountPoint().toString().equals(mountPoint))
                .map(MountInfo::fsType)
                .toList();
    }

    /**
     * {@return the per-mount options (such as {@code ro}, {@code nosuid}) of the mount in sight on
     * {@code mountPoint} (the last one there), in the text of a mountinfo file; empty when nothing is
     * mounted there}
     */
    public static Optional<List<String>> optionsOfMountOn(String mountinfo, String mountPoint) {
        return mountinfo.lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 5 && fields[4].equals(mountPoint))
                .reduce((first, second) -> second)
                .map(fields -> List.of(fields[5].split(",")));
    }

    private static Stream<MountInfo> mounts(String mountinfo) {
        return mountinfo.lines().map(MountInfo::parse).filter(Objects::nonNull);
    }
}
