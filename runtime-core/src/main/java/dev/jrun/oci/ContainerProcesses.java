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
 * The processes of a container: those in its cgroup when it has no PID
 * namespace of its own; else those in its PID namespace or in one nested in
 * it, found in its cgroup (which may be shared with another container) or,
 * for a container without one, among all processes; for a container with
 * neither, only its first process.
 */
final class ContainerProcesses {

    private ContainerProcesses() {
    }

    /** {@return the host PIDs of the container's processes, its first process first} */
    static List<Integer> of(ContainerRecord container) {
        Optional<Cgroup> cgroup = container.openCgroup();
        if (cgroup.isPresent() && container.resources().signalsWholeCgroup()) {
            return withFirst(container.pid(), cgroup.get().pids().stream());
        }
        Optional<String> namespace = pidNamespace(container.pid());
        if (namespace.isEmpty() || namespace.equals(pidNamespace("self"))) {
            return List.of(container.pid());
        }
        Stream<Integer> candidates = cgroup.map(c -> c.pids().stream()).orElseGet(ContainerProcesses::allProcesses);
        return withFirst(container.pid(), candidates.filter(pid -> within(pid, namespace.get())));
    }

    private static List<Integer> withFirst(int first, Stream<Integer> others) {
        List<Integer> pids = new ArrayList<>(List.of(first));
        others.filter(pid -> pid != first).forEach(pids::add);
        return pids;
    }

    private static Stream<Integer> allProcesses() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Integer::valueOf)
                    .sorted()
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("list /proc", e);
        }
    }

    /**
     * {@return whether {@code pid} is in the PID namespace {@code namespace}, or in one nested in
     * it: then a process of {@code namespace} is among its ancestors}
     */
    private static boolean within(int pid, String namespace) {
        for (int process = pid; process > 1; process = parent(process)) {
            Optional<String> its = pidNamespace(process);
            if (its.isEmpty()) {
                return false;
            }
            if (its.get().equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the parent of {@code pid}, 0 once it is gone} */
    private static int parent(int pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("PPid:"))
                    .map(line -> Integer.parseInt(line.substring("PPid:".length()).strip()))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return 0;
        }
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
