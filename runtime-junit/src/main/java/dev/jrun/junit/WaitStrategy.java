package dev.jrun.junit;

/**
 * When a started container is ready for the test: checked again and again, a few milliseconds
 * apart, until it says so or the container's start-up timeout runs out. {@link Wait} makes the
 * usual ones.
 */
public interface WaitStrategy {

    /**
     * {@return whether the container is ready}
     *
     * @param container the started container
     * @throws Exception when the check itself fails; the container is then not ready yet
     */
    boolean isReady(SandboxContainer container) throws Exception;

    /** {@return what is awaited, as a failure reports it, such as "port 8080 listening"} */
    String description();
}
