package dev.jrun.model;

import java.util.Objects;

/**
 * How a container's first process ended: it exited with a code, or a signal
 * killed it, and who sent that signal when jrun can tell: the OOM killer
 * (from the container cgroup's own counters) or
 * {@link ContainerProcess#waitForOrKill(java.time.Duration)} when the
 * container outlived its time.
 *
 * @param code   the exit code, when it exited; 0 otherwise
 * @param signal the signal that killed it; 0 when it exited
 * @param cause  why it ended
 */
public record ExitStatus(int code, int signal, Cause cause) {

    /** Why a container's first process ended. */
    public enum Cause {
        /** It exited on its own, with {@link #code()}. */
        EXITED,
        /** A signal killed it: one this process sent ({@link ContainerProcess#kill(int)}) or another. */
        SIGNALED,
        /** The OOM killer killed it: its cgroup counted an OOM kill, and SIGKILL ended it. */
        OOM_KILLED,
        /** It ran longer than {@link ContainerProcess#waitForOrKill(java.time.Duration)} allowed, which killed it. */
        TIMED_OUT
    }

    /**
     * Checks that the status is consistent: a code only with {@link Cause#EXITED}, a signal with every other cause.
     *
     * @throws IllegalArgumentException when it is not
     */
    public ExitStatus {
        Objects.requireNonNull(cause, "cause");
        if ((cause == Cause.EXITED) != (signal == 0) || (signal != 0 && code != 0)) {
            throw new IllegalArgumentException("inconsistent exit status: code " + code + ", signal " + signal
                    + ", cause " + cause);
        }
    }

    /** {@return a status for a process that exited with {@code code}} */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0, Cause.EXITED);
    }

    /** {@return a status for a process killed by {@code signal}} */
    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal, Cause.SIGNALED);
    }

    /** {@return this status, a signal's, with the cause that sent the signal} */
    public ExitStatus because(Cause sender) {
        return new ExitStatus(code, signal, sender);
    }

    /** {@return whether a signal ended the process, whoever sent it} */
    public boolean wasKilled() {
        return signal != 0;
    }

    /** {@return whether the OOM killer ended the process} */
    public boolean wasOomKilled() {
        return cause == Cause.OOM_KILLED;
    }

    /** {@return whether the process was killed because it outlived its time} */
    public boolean timedOut() {
        return cause == Cause.TIMED_OUT;
    }

    /** {@return the shell's view of the status: the exit code, or 128 + the signal number} */
    public int shellCode() {
        return wasKilled() ? 128 + signal : code;
    }

    /** {@return the status in words, such as "exited with code 3" or "killed by the OOM killer (signal 9)"} */
    @Override
    public String toString() {
        return switch (cause) {
            case EXITED -> "exited with code " + code;
            case SIGNALED -> "killed by signal " + signal;
            case OOM_KILLED -> "killed by the OOM killer (signal " + signal + ")";
            case TIMED_OUT -> "killed after its time ran out (signal " + signal + ")";
        };
    }
}
