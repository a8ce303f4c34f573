package dev.jrun.internal.cgroup;

import dev.jrun.internal.sys.KernelFiles;
import dev.jrun.model.SystemCallException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Removes what containers that die with their jrun leave behind when that
 * jrun is killed (SIGKILL gives it no chance to clean up): their cgroups,
 * below the cgroup jrun runs in, named for an owner ({@link CgroupOwner}) that
 * is gone. Only empty ones go: the kernel refuses to remove a cgroup with
 * processes or child cgroups, and a cgroup whose owner lives is not touched.
 * It runs once per process, before its first container gets a cgroup, and
 * costs a directory listing per hierarchy: every hierarchy is listed, because
 * another jrun whose own cgroup differs in one hierarchy (its memory cgroup,
 * say) removes only the directories it shares with the owner, and leaves the
 * rest to be found here.
 */
public final class AbandonedCgroups {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private AbandonedCgroups() {
    }

    /** Removes the abandoned cgroups, unless this process did already. */
    public static void removeOnce(CgroupDriver driver) {
        if (DONE.compareAndSet(false, true)) {
            remove(driver);
        }
    }

    /** Removes every empty cgroup below this process's own whose name records an owner that is gone. */
    static void remove(CgroupDriver driver) {
        List<Path> own = driver.ownDirectories();
        Set<String> names = new TreeSet<>();
        own.forEach(directory -> names.addAll(candidates(directory)));
        for (String name : names) {
            if (CgroupOwner.ofName(name).filter(CgroupOwner::isGone).isPresent()) {
                removeEverywhere(own, name);
            }
        }
    }

    /** The jrun cgroup names below this process's own cgroup in one hierarchy. */
    private static List<String> candidates(Path ownDirectory) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(ownDirectory, "jrun-*")) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        } catch (IOException e) {
            // Housekeeping never stops a container from starting; the next jrun tries again.
        }
        return names;
    }

    /**
     * Removes the cgroup from every hierarchy, the one listed first last: while any directory of it
     * is left, the next jrun still finds it there.
     */
    private static void removeEverywhere(List<Path> ownDirectories, String name) {
        for (Path own : ownDirectories.reversed()) {
            try {
                KernelFiles.rmdir(own.resolve(name));
            } catch (SystemCallException e) {
                // EBUSY: processes or child cgroups are left in it, so it stays, in every hierarchy.
                return;
            }
        }
    }
}
