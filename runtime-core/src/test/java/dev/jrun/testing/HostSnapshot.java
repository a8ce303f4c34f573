package dev.jrun.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a container could leak into the JVM that started it: open descriptors, mounts in the JVM's
 * mount namespace, child processes and unreaped (zombie) children. Two snapshots taken around
 * something that cleans up after itself are equal.
 *
 * @param openDescriptors how many entries {@code /proc/self/fd} has
 * @param mountPoints     the mount points of {@code /proc/self/mountinfo}, sorted (a stacked mount appears twice)
 * @param children        the PIDs of the JVM's child processes
 * @param zombieChildren  the PIDs of the JVM's children that ended and were not reaped
 */
public record HostSnapshot(int openDescriptors, List<String> mountPoints, Set<Long> children, Set<Long> zombieChildren) {

    /** {@return the JVM's state now} */
    public static HostSnapshot capture() {
        return new HostSnapshot(countOpenDescriptors(), Mountinfo.mountPoints(Mountinfo.OWN), listChildren(), findZombieChildren());
    }

    private static int countOpenDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<Long> listChildren() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static Set<Long> findZombieChildren() {
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(ProcStat::read)
                    .flatMap(Stream::ofNullable)
                    .filter(stat -> stat.state() == 'Z' && stat.parentPid() == self)
                    .map(ProcStat::pid)
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields of {@code /proc/<pid>/stat} a leak check needs. */
    private record ProcStat(long pid, char state, long parentPid) {

        /** {@return the process's stat, or null when it ended while /proc was being read} */
        static ProcStat read(Path process) {
            String stat;
            try {
                stat = Files.readString(process.resolve("stat"));
            } catch (IOException e) {
                return null;
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after its last ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new ProcStat(Long.parseLong(process.getFileName().toString()), fields[0].charAt(0),
                    Long.parseLong(fields[1]));
        }
    }
}
