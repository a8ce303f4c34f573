package dev.jrun.model;

/** Where one of a container's standard streams goes. */
public enum Stdio {
    /** The same descriptor the JVM has: the container writes straight to the JVM's stdout, for example. */
    INHERIT,
    /** A pipe, read or written through the {@link ContainerProcess} streams. */
    PIPE,
    /** {@code /dev/null}. */
    DISCARD,
    /**
     * For stderr only: wherever stdout goes, so that both arrive interleaved in the order they were
     * written (on one pipe, {@link ContainerProcess#stdout()}, when stdout is {@link #PIPE}), as
     * {@link ProcessBuilder#redirectErrorStream(boolean)} does. Starting a container with it for
     * stdin or stdout fails.
     */
    STDOUT
}
