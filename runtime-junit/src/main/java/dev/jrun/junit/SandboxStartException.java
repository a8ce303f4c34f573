package dev.jrun.junit;

/**
 * A container that did not become ready: it failed to start, ended before it was ready, or was
 * not ready within its start-up timeout. The message names the container and what was awaited,
 * and ends with everything the container printed.
 */
public final class SandboxStartException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, with the container's output
     * @param cause   the failure behind it, or null
     */
    public SandboxStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
