package dev.jrun.internal.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the OCI {@code cgroupsPath} puts a container in a hierarchy: an
 * absolute path is taken from the hierarchy's root, a relative one from the
 * cgroup this process runs in, so a container never escapes the limits of
 * whoever started it.
 */
public final class CgroupPaths {

    private static final String DEFAULT_PREFIX = "jrun-";
    private static final int RANDOM_BYTES = 6;

    private CgroupPaths() {
    }

    /** {@return a fresh relative path for a container that names none: {@code jrun-} and 12 hex digits} */
    public static String defaultPath() {
        return DEFAULT_PREFIX + randomSuffix();
    }

    /**
     * {@return a fresh relative path for a container that dies with this process, naming this
     * process: {@code jrun-<pid>-<start time>-} and 12 hex digits} Once this process is gone, any
     * jrun may remove the cgroup if it is empty ({@link AbandonedCgroups}).
     */
    public static String ownedPath() {
        return CgroupOwner.thisProcess().cgroupName(randomSuffix());
    }

    private static String randomSuffix() {
        byte[] random = new byte[RANDOM_BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Checks a cgroupsPath before anything is created.
     *
     * @throws IllegalArgumentException if it is empty or steps out with {@code ..}
     */
    public static void validate(String cgroupsPath) {
        List<String> names = names(cgroupsPath);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("cgroup path \"" + cgroupsPath + "\" names no cgroup");
        }
        if (names.contains("..") || names.contains(".")) {
            throw new IllegalArgumentException("cgroup path \"" + cgroupsPath + "\" must not contain . or ..");
        }
    }

    /** {@return the directory of the container's cgroup in a hierarchy} */
    static Path directory(CgroupHierarchy hierarchy, String cgroupsPath) {
        Path base = cgroupsPath.startsWith("/") ? hierarchy.mountPoint() : hierarchy.ownDirectory();
        return base.resolve(String.join("/", names(cgroupsPath)));
    }

    /** {@return the directories from the hierarchy's root down to {@code leaf} that do not exist yet, top first} */
    static List<Path> missing(CgroupHierarchy hierarchy, Path leaf) {
        List<Path> missing = new ArrayList<>();
        for (Path dir = leaf; !dir.equals(hierarchy.mountPoint()) && !Files.exists(dir); dir = dir.getParent()) {
            missing.addFirst(dir);
        }
        return missing;
    }

    private static List<String> names(String cgroupsPath) {
        List<String> names = new ArrayList<>();
        for (String name : cgroupsPath.split("/")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names;
    }
}
