package dev.jrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The test JVM's own child processes, as /proc lists them: what a test started and must not leave behind. */
public final class ChildProcesses {

    private ChildProcesses() {
    }

    /** {@return the PIDs of this JVM's children whose command name is {@code name}} */
    public static List<Integer> named(String name) {
        List<Integer> found = new ArrayList<>();
        for (int pid : children()) {
            if (name.equals(commandName(pid))) {
                found.add(pid);
            }
        }
        return found;
    }

    /** {@return whether {@code pid} is still a process of this name (alive or a zombie not reaped)} */
    public static boolean exists(int pid, String name) {
        return name.equals(commandName(pid));
    }

    private static List<Integer> children() {
        List<Integer> pids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String pid : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                        if (!pid.isEmpty()) {
                            pids.add(Integer.parseInt(pid));
                        }
                    }
                } catch (NoSuchFileException threadEnded) {
                    // A thread that ended meanwhile has no children to list.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private static String commandName(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "comm")).strip();
        } catch (NoSuchFileException gone) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
