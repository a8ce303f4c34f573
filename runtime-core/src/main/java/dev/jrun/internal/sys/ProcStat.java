package dev.jrun.internal.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc/<pid>/stat} says about a process: whether it has ended
 * (a zombie), and when it started, which tells a recycled PID from the
 * container's own.
 *
 * @param state     the state letter: R, S, D, Z...
 * @param startTime when the process started, in clock ticks since boot
 */
public record ProcStat(char state, long startTime) {

    /** The fields after the command name: state is the 1st, starttime the 20th. */
    private static final int STATE = 0;
    private static final int START_TIME = 19;

    /** {@return the process's stat, or empty when there is no such process} */
    public static Optional<ProcStat> of(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No such process")) {
                return Optional.empty();
            }
            throw new UncheckedIOException("read /proc/" + pid + "/stat", e);
        }
        // The command name is in parentheses and may hold anything, parentheses too.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Optional.of(new ProcStat(fields[STATE].charAt(0), Long.parseLong(fields[START_TIME])));
    }

    /**
     * {@return the process's PID in its own PID namespace, as a hook in the container sees it
     * (the last of the {@code NSpid} line of {@code /proc/<pid>/status})}
     */
    public static int pidInItsNamespace(int pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring("NSpid:".length()).strip().split("\\s+");
                    return Integer.parseInt(pids[pids.length - 1]);
                }
            }
            return pid;
        } catch (IOException e) {
            throw new UncheckedIOException("read /proc/" + pid + "/status", e);
        }
    }

    /** {@return whether the process has ended and waits to be reaped, or is being reaped} */
    public boolean ended() {
        return state == 'Z' || state == 'X';
    }
}
