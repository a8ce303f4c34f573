package dev.jrun.internal.protocol;

/**
 * The descriptors and records the launcher and the launch stub agree on.
 *
 * <p>{@code posix_spawn} places descriptors at fixed numbers in the stub, and the
 * plan refers to them by number:
 * <pre>
 *   0, 1, 2          the container's stdin, stdout, stderr
 *   3 .. 3+n-1       the n descriptors passed on to the container ({@code --preserve-fds}, LISTEN_FDS style)
 *   then             the sync pipe, the error pipe, the pid pipe, the exec FIFO, the terminal
 * </pre>
 * The terminal's slot is empty at spawn: the stub opens the container's terminal
 * and leaves its controlling side there for the launcher to take.
 *
 * @param preservedFds how many descriptors from 3 on the container inherits
 */
public record LaunchProtocol(int preservedFds) {

    /** The first descriptor a container can inherit beyond stdio. */
    public static final int FIRST_PRESERVED_FD = 3;
    /** Size of an error record: the failed step's address and the errno, 8 bytes each. */
    public static final int ERROR_RECORD_SIZE = 16;
    /** The stub's exit code when a step fails. */
    public static final int STEP_FAILED_EXIT = 127;

    public LaunchProtocol {
        if (preservedFds < 0) {
            throw new IllegalArgumentException("preserved descriptors cannot be negative: " + preservedFds);
        }
    }

    /** {@return the read end of the gate pipe: the stub blocks on it until the launcher has done its part} */
    public int syncFd() {
        return FIRST_PRESERVED_FD + preservedFds;
    }

    /** {@return the write end of the error pipe (close-on-exec in the container): {step address, errno} records} */
    public int errorFd() {
        return syncFd() + 1;
    }

    /**
     * {@return the write end of the pid pipe: the stub reports the container's PID here (8 bytes); the
     * container then reports one byte when it is set up (when it reached its start gate, if it has
     * one), before that one when its terminal is ready, and one (3) followed by the descriptor's
     * number (8 bytes) when the listener of a filter that notifies a seccomp agent is ready}
     */
    public int pidFd() {
        return syncFd() + 2;
    }

    /** {@return an {@code O_PATH} descriptor of the exec FIFO, for a container that waits for start} */
    public int startFifoFd() {
        return syncFd() + 3;
    }

    /** {@return where the stub leaves the controlling side of the terminal it opened in the container} */
    public int terminalFd() {
        return syncFd() + 4;
    }

    /**
     * {@return the first descriptor the stub closes: everything from here up is inherited by
     * accident (the terminal's slot too, which is filled later)}
     */
    public int firstUnneededFd() {
        return terminalFd();
    }
}
