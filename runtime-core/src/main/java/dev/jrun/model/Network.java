package dev.jrun.model;

/**
 * How a container reaches the network. Published ports ({@code Container.Builder.publish}) need
 * {@link #PRIVATE}.
 */
public enum Network {
    /** A network namespace of its own with loopback only: the container reaches nothing and nothing reaches it. */
    NONE,
    /** The host's network namespace: the host's interfaces, addresses and ports, loopback included. */
    HOST,
    /**
     * A network namespace of its own with outbound access through the user-mode helper
     * {@code slirp4netns} (Debian's package slirp4netns), as podman gives: the container is
     * 10.0.2.100, the gateway 10.0.2.2 is the host's loopback, 10.0.2.3 a DNS forwarder to the host's
     * nameservers; the helper ends with the container.
     */
    PRIVATE;

    /**
     * {@return the mode named {@code name}: none, host or private ({@code slirp4netns} is private's other name)}
     *
     * @throws IllegalArgumentException if no mode has that name
     */
    public static Network named(String name) {
        return switch (name) {
            case "none" -> NONE;
            case "host" -> HOST;
            case "private", "slirp4netns" -> PRIVATE;
            default -> throw new IllegalArgumentException("unknown network mode \"" + name
                    + "\": use none (loopback only), host (the host's network) or private (its own, with"
                    + " outbound access through slirp4netns)");
        };
    }
}
