package dev.jrun;

/**
 * How a container's first process ended: it exited with a code, or a signal
 * killed it.
 *
 * @param code   the exit code, when it exited; 0 otherwise
 * @param signal the signal that killed it; 0 when it exited
 */
public record ExitStatus(int code, int signal) {

    /** {@return a status for a process that exited with {@code code}} */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0);
    }

    /** {@return a status for a process killed by {@code signal}} */
    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal);
    }

    /** {@return whether a signal ended the process} */
    public boolean wasKilled() {
        return signal != 0;
    }

    /** {@return the shell's view of the status: the exit code, or 128 + the signal number} */
    public int shellCode() {
        return wasKilled() ? 128 + signal : code;
    }
}
