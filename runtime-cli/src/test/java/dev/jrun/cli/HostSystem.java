package dev.jrun.cli;

import com.sun.security.auth.module.UnixSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What the CLI tests check on the host: who runs them and what is mounted. */
final class HostSystem {

    private HostSystem() {
    }

    /** {@return whether the tests run as root} */
    static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** Skips the calling test unless it runs as root; {@code why} says what needs root. */
    static void assumeRoot(String why) {
        assumeTrue(isRoot(), "needs root: " + why);
    }

    /** {@return an absolute cgroup path no other test uses: {@code prefix} and 12 random hex digits} */
    static String freshCgroupPath(String prefix) {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return "/" + prefix + HexFormat.of().formatHex(random);
    }

    /** {@return the directories of the cgroup at the absolute {@code path} in every hierarchy, those that exist} */
    static List<Path> cgroupDirectoriesNamed(String path) throws IOException {
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            List<Path> candidates = new ArrayList<>(hierarchies.map(h -> h.resolve(path.substring(1))).toList());
            candidates.add(Path.of("/sys/fs/cgroup", path.substring(1)));
            return candidates.stream().filter(Files::isDirectory).toList();
        }
    }

    /** {@return the mount points of this JVM's mount namespace, sorted, as /proc/self/mountinfo lists them} */
    static List<String> mountPoints() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4]).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
