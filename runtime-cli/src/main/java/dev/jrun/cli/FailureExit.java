package dev.jrun.cli;

/**
 * The exit codes of jrun's own failures, in one place. Which one a failure gets depends on the form
 * of the command: runc's commands exit as runc does, the sandbox and the images as docker and
 * podman do; a command that cannot be executed is 127 (not found) or 126 (not executable) where
 * the form has those.
 */
enum FailureExit {

    /** runc's commands ({@code create}, {@code start}, {@code run ID}, {@code kill}...): 1 for any failure. */
    OCI(1, true),
    /** runc's {@code exec}: 255 for any failure, so that it stays apart from the exit code of the command. */
    OCI_EXEC(255, false),
    /** The host sandbox ({@code run -- COMMAND}) and the images: 125, as docker and podman. */
    ENGINE(125, true);

    static final int COMMAND_NOT_EXECUTABLE = 126;
    static final int COMMAND_NOT_FOUND = 127;

    private final int code;
    private final boolean commandCodes;

    FailureExit(int code, boolean commandCodes) {
        this.code = code;
        this.commandCodes = commandCodes;
    }

    /** {@return the exit code of a failure of jrun itself} */
    int code() {
        return code;
    }

    /** {@return the exit code of a command that could not be executed: {@code found} but not executable, or not found} */
    int commandFailed(boolean found) {
        if (!commandCodes) {
            return code;
        }
        return found ? COMMAND_NOT_EXECUTABLE : COMMAND_NOT_FOUND;
    }

    /** A command whose failures do not exit as runc's commands do ({@link #OCI}). */
    interface Form {
        /** {@return how this command's failures exit} */
        FailureExit failureExit();
    }

    /**
     * A command of the images ({@code pull}, {@code import}, {@code images}, {@code rmi}, {@code image prune}): its
     * failures exit as docker's and podman's.
     */
    interface ImageForm extends Form {
        @Override
        default FailureExit failureExit() {
            return ENGINE;
        }
    }

    /** {@return how failures of {@code command}, a picocli command object, exit} */
    static FailureExit of(Object command) {
        return command instanceof Form form ? form.failureExit() : OCI;
    }
}
