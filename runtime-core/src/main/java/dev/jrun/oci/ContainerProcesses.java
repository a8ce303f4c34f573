package dev.jrun.oci;

import dev.jrun.model.Cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The processes of a container: those in its cgroup; for a container without
 * one, those in its PID namespace when it has one of its own, else only its
 * first process.
 */
final class ContainerProcesses {

    private ContainerProcesses() {
    }

    /** {@return the host PIDs of the container's processes, its first process first} */
    static List<Integer> of(ContainerRecord container) {
        Optional<Cgroup> cgroup = container.openCgroup();
        if (cgroup.isPresent()) {
            List<Integer> pids = new ArrayList<>(List.of(container.pid()));
            cgroup.get().pids().stream().filter(pid -> pid != container.pid()).forEach(pids::add);
            return pids;
        }
        Optional<String> namespace = pidNamespace(container.pid());
        if (namespace.isEmpty() || namespace.equals(pidNamespace("self"))) {
            return List.of(container.pid());
        }
        List<Integer> pids = new ArrayList<>(List.of(container.pid()));
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Integer::valueOf)
                    .filter(pid -> pid != container.pid() && pidNamespace(pid).equals(namespace))
                    .sorted()
                    .forEach(pids::add);
        } catch (IOException e) {
            throw new UncheckedIOException("list /proc", e);
        }
        return pids;
    }

    /** {@return the command line of {@code pid}, arguments separated by spaces, or empty if it is gone} */
    static String commandLine(int pid) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline"));
            return new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<String> pidNamespace(Object pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
