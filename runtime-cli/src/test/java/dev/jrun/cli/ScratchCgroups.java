package dev.jrun.cli;

import dev.jrun.internal.cgroup.CgroupDriver;
import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.internal.sys.KernelFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cgroup of the test's in every hierarchy jrun uses, which the jrun under test runs in (through
 * {@link #prefix()}): its containers' cgroups go below it, so the test sees exactly what that jrun
 * left behind, whatever other processes of the host do meanwhile. A host with only cgroup v2
 * cannot run a runtime in a cgroup below which it creates others (no internal processes), so jrun
 * runs in the test's own cgroup there, and what it left is the {@code jrun-*} cgroups that appeared
 * in it since.
 */
final class ScratchCgroups implements AutoCloseable {

    private final List<Path> parents;
    private final boolean isolated;
    private final Set<Path> before;

    private ScratchCgroups(List<Path> parents, boolean isolated) {
        this.parents = parents;
        this.isolated = isolated;
        this.before = Set.copyOf(left());
    }

    /** Creates the scratch cgroup (on a host with cgroup v1 hierarchies). */
    static ScratchCgroups create() {
        CgroupDriver driver = CgroupHost.probe().driver();
        if (driver.name().equals("cgroup v2")) {
            return new ScratchCgroups(driver.ownDirectories(), false);
        }
        String name = "cleanup-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        List<Path> created = new ArrayList<>();
        for (Path own : driver.ownDirectories()) {
            Path dir = own.resolve(name);
            KernelFiles.mkdir(dir);
            created.add(dir);
            // A new cpuset cgroup has no CPUs and no memory nodes: no process could join it.
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                if (Files.exists(dir.resolve(file))) {
                    KernelFiles.write(dir.resolve(file), read(own.resolve(file)));
                }
            }
        }
        return new ScratchCgroups(created, true);
    }

    /** {@return the words that start a command in the scratch cgroup, before the command itself} */
    List<String> prefix() {
        if (!isolated) {
            return List.of();
        }
        String files = parents.stream().map(dir -> "'" + dir.resolve("cgroup.procs") + "'").collect(Collectors.joining(" "));
        return List.of("/bin/sh", "-c", "set -e; for f in " + files + "; do echo $$ > \"$f\"; done; exec \"$@\"", "sh");
    }

    /** {@return the cgroups below the scratch cgroup now, in every hierarchy, that were not there at the start} */
    List<Path> leftBehind() {
        return left().stream().filter(dir -> !before.contains(dir)).sorted().toList();
    }

    private List<Path> left() {
        List<Path> found = new ArrayList<>();
        for (Path parent : parents) {
            try (Stream<Path> dirs = isolated ? Files.walk(parent) : Files.list(parent)) {
                dirs.filter(Files::isDirectory).filter(dir -> !dir.equals(parent))
                        .filter(dir -> isolated || dir.getFileName().toString().startsWith("jrun-"))
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    /**
     * Removes what is left below the scratch cgroup (a test that failed may leave some), then the
     * cgroup itself; without one, nothing: what appeared in the test's own cgroup may be another's.
     */
    @Override
    public void close() {
        if (isolated) {
            leftBehind().stream().sorted(Comparator.reverseOrder()).forEach(KernelFiles::rmdir);
            parents.forEach(KernelFiles::rmdir);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
