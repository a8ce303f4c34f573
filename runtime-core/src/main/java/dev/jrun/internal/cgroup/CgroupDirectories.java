package dev.jrun.internal.cgroup;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.KernelFiles;
import dev.jrun.internal.sys.Processes;
import dev.jrun.model.SystemCallException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What v1 and v2 cgroups do alike with their directories: create, kill what is inside, remove.
 * What is inside includes the cgroups a container's processes made below its own (a systemd or
 * a nested runtime in it does): their processes die and their directories go first, as with runc.
 */
final class CgroupDirectories {

    private static final String PROCS = "cgroup.procs";

    private CgroupDirectories() {
    }

    /**
     * Writes a PID into a cgroup's {@code cgroup.procs}, moving that process in.
     *
     * @throws IllegalArgumentException if the cgroup does not exist (a sub-cgroup never made), in runc's words
     */
    static void add(Path dir, int pid) {
        Path procs = dir.resolve(PROCS);
        try {
            KernelFiles.write(procs, Integer.toString(pid));
        } catch (SystemCallException e) {
            if (e.errno() == Libc.ENOENT()) {
                throw new IllegalArgumentException("adding pid " + pid + " to " + procs
                        + ": no such file or directory (ENOENT): the cgroup does not exist", e);
            }
            throw e;
        }
    }

    /**
     * Checks that {@code dir}, when it exists already (made ahead for the container, as runc's
     * tests and pods make it), may become a new container's cgroup: a frozen one would hold the
     * container in its set-up forever. One with processes may: the container shares it, as with runc.
     *
     * @throws IllegalArgumentException naming the directory (a frozen one in runc's words)
     */
    static void requireUsable(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (V1Cgroup.frozen(dir) || V2Cgroup.frozen(dir)) {
            throw new IllegalArgumentException("container's cgroup unexpectedly frozen: " + dir + " exists already,"
                    + " frozen; thaw or remove it");
        }
    }

    /** {@return the PIDs of the processes in any of the directories, in ascending order} */
    static List<Integer> pids(List<Path> dirs) {
        return dirs.stream().flatMap(dir -> StatFiles.pids(dir.resolve(PROCS)).stream()).distinct().sorted().toList();
    }

    /** {@return whether no process is left in any of the directories} */
    static boolean empty(List<Path> dirs) {
        return dirs.stream().allMatch(dir -> StatFiles.pids(dir.resolve(PROCS)).isEmpty());
    }

    /**
     * Removes the directories this cgroup created in one hierarchy, as {@link #remove} does, unless
     * a process is left in {@code leaf} or in a cgroup below it: another container's, which shares it.
     *
     * @param created the directories created, top first; the last is the leaf
     * @return whether they were removed
     */
    static boolean removeIfEmpty(Path leaf, List<Path> created) {
        if (!empty(withDescendants(List.of(leaf)))) {
            return false;
        }
        remove(created);
        return true;
    }

    /** Sends SIGKILL to every process in the directories and the cgroups below them, until none is left. */
    static void killAll(List<Path> dirs) {
        Waiting.until(() -> {
            List<Path> all = withDescendants(dirs);
            all.forEach(dir -> StatFiles.pids(dir.resolve(PROCS)).forEach(CgroupDirectories::kill));
            return empty(all);
        }, "the processes of cgroup " + dirs.getFirst() + " are gone");
    }

    /** {@return the directories and every cgroup below them, deepest first} */
    private static List<Path> withDescendants(List<Path> dirs) {
        List<Path> all = new ArrayList<>();
        for (Path dir : dirs) {
            // A cgroup file system has no symlinks; a directory is a cgroup.
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)).forEach(all::add);
            } catch (IOException | UncheckedIOException e) {
                // A cgroup removed while walking: what is left is walked again on the next round.
                all.add(dir);
            }
        }
        all.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return all.stream().distinct().toList();
    }

    private static void kill(int pid) {
        int pidfd;
        try {
            pidfd = Processes.pidfdOpen(pid);
        } catch (SystemCallException e) {
            if (e.errno() == Libc.ESRCH()) {
                return;
            }
            throw e;
        }
        try {
            Processes.signal(pidfd, Libc.SIGKILL());
        } finally {
            Descriptors.close(pidfd);
        }
    }

    /**
     * Removes directories this cgroup created, deepest first. The leaf must go (a process that
     * just died may keep it busy for a moment); a parent still holding another cgroup stays.
     *
     * @param created the directories created, top first; the last is the leaf
     */
    static void remove(List<Path> created) {
        if (created.isEmpty()) {
            return;
        }
        Path leaf = created.getLast();
        Waiting.until(() -> withDescendants(List.of(leaf)).stream().allMatch(CgroupDirectories::tryRemove),
                "cgroup " + leaf + " can be removed");
        for (Path parent : created.subList(0, created.size() - 1).reversed()) {
            try {
                KernelFiles.rmdir(parent);
            } catch (SystemCallException e) {
                if (e.errno() != Libc.EBUSY() && e.errno() != Libc.ENOTEMPTY()) {
                    throw e;
                }
                return;
            }
        }
    }

    /** {@return whether {@code dir} is gone: removed now, or already} */
    private static boolean tryRemove(Path dir) {
        try {
            KernelFiles.rmdir(dir);
            return true;
        } catch (SystemCallException e) {
            if (e.errno() == Libc.EBUSY() || e.errno() == Libc.ENOTEMPTY()) {
                return false;
            }
            if (e.errno() == Libc.ENOENT()) {
                return true;
            }
            throw e;
        }
    }
}
