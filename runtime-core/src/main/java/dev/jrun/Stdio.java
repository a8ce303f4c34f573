package dev.jrun;

/** Where one of a container's standard streams goes. */
public enum Stdio {
    /** The same descriptor the JVM has: the container writes straight to the JVM's stdout, for example. */
    INHERIT,
    /** A pipe, read or written through the {@link ContainerProcess} streams. */
    PIPE,
    /** {@code /dev/null}. */
    DISCARD
}
