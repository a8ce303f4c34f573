package dev.jrun.internal.launch;

/**
 * The descriptors and records the launcher and the launch stub agree on.
 *
 * <p>{@code posix_spawn} places the launcher's pipe ends at these fixed numbers
 * in the stub; the plan refers to them by number.
 */
final class LaunchProtocol {

    /** Read end of the gate pipe: the stub blocks on it until the launcher has done its part. */
    static final int SYNC_FD = 3;
    /** Write end of the error pipe (close-on-exec in the container): {step address, errno} records. */
    static final int ERROR_FD = 4;
    /** Write end of the pid pipe: the stub reports the container's PID here, 8 bytes. */
    static final int PID_FD = 5;
    /** The container's end of a socket pair: a terminal's master side is sent to the launcher through it. */
    static final int CONSOLE_FD = 6;
    /** The first descriptor the stub closes: everything from here up is inherited by accident. */
    static final int FIRST_UNNEEDED_FD = 7;
    /**
     * Where the container puts a terminal's master side to send it: a fixed number, so the
     * SCM_RIGHTS message in the plan can name it (nothing else is open that high by then).
     */
    static final int SENT_MASTER_FD = 9;

    /** Size of an error record: the failed step's address and the errno, 8 bytes each. */
    static final int ERROR_RECORD_SIZE = 16;
    /** The stub's exit code when a step fails. */
    static final int STEP_FAILED_EXIT = 127;

    private LaunchProtocol() {
    }
}
