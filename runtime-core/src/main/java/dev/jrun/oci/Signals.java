package dev.jrun.oci;

import dev.jrun.bindings.Libc;

import java.util.Locale;
import java.util.Map;

/** Signal names and numbers, as {@code kill} takes them: {@code TERM}, {@code SIGTERM} or {@code 15}. */
public final class Signals {

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", Libc.SIGHUP()), Map.entry("INT", Libc.SIGINT()), Map.entry("QUIT", Libc.SIGQUIT()),
            Map.entry("ILL", Libc.SIGILL()), Map.entry("TRAP", Libc.SIGTRAP()), Map.entry("ABRT", Libc.SIGABRT()),
            Map.entry("IOT", Libc.SIGIOT()), Map.entry("BUS", Libc.SIGBUS()), Map.entry("FPE", Libc.SIGFPE()),
            Map.entry("KILL", Libc.SIGKILL()), Map.entry("USR1", Libc.SIGUSR1()), Map.entry("SEGV", Libc.SIGSEGV()),
            Map.entry("USR2", Libc.SIGUSR2()), Map.entry("PIPE", Libc.SIGPIPE()), Map.entry("ALRM", Libc.SIGALRM()),
            Map.entry("TERM", Libc.SIGTERM()), Map.entry("STKFLT", Libc.SIGSTKFLT()), Map.entry("CHLD", Libc.SIGCHLD()),
            Map.entry("CLD", Libc.SIGCLD()), Map.entry("CONT", Libc.SIGCONT()), Map.entry("STOP", Libc.SIGSTOP()),
            Map.entry("TSTP", Libc.SIGTSTP()), Map.entry("TTIN", Libc.SIGTTIN()), Map.entry("TTOU", Libc.SIGTTOU()),
            Map.entry("URG", Libc.SIGURG()), Map.entry("XCPU", Libc.SIGXCPU()), Map.entry("XFSZ", Libc.SIGXFSZ()),
            Map.entry("VTALRM", Libc.SIGVTALRM()), Map.entry("PROF", Libc.SIGPROF()), Map.entry("WINCH", Libc.SIGWINCH()),
            Map.entry("IO", Libc.SIGIO()), Map.entry("POLL", Libc.SIGPOLL()), Map.entry("PWR", Libc.SIGPWR()),
            Map.entry("SYS", Libc.SIGSYS()));
    /** Linux has 64 signals, the real-time ones included. */
    private static final int HIGHEST = 64;

    private Signals() {
    }

    /**
     * {@return the number of a signal given by name (with or without {@code SIG}, any case) or number;
     * 0, as for kill(2), only checks that the process is there}
     *
     * @throws IllegalArgumentException for an unknown name or a number out of range
     */
    public static int parse(String signal) {
        if (!signal.isEmpty() && signal.chars().allMatch(Character::isDigit)) {
            // Longer than three digits is out of range, and might not fit an int.
            int number = signal.length() > 3 ? HIGHEST + 1 : Integer.parseInt(signal);
            if (number > HIGHEST) {
                throw new IllegalArgumentException("invalid signal number " + signal + ": use 0 to " + HIGHEST);
            }
            return number;
        }
        String name = signal.toUpperCase(Locale.ROOT);
        Integer number = BY_NAME.get(name.startsWith("SIG") ? name.substring(3) : name);
        if (number == null) {
            throw new IllegalArgumentException("unknown signal \"" + signal + "\": use a name such as TERM or KILL, or a number");
        }
        return number;
    }
}
