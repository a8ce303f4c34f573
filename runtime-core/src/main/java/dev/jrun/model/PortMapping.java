package dev.jrun.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port of the container published on the host: connections to {@code hostAddress:hostPort}
 * reach {@code containerPort} in the container's private network.
 *
 * @param hostAddress   the host address listened on
 * @param hostPort      the host port; 0 lets jrun choose a free one when the container starts
 * @param containerPort the port in the container
 * @param protocol      TCP or UDP
 */
public record PortMapping(InetAddress hostAddress, int hostPort, int containerPort, Protocol protocol) {

    /** The transport protocol of a published port. */
    public enum Protocol {
        /** TCP. */
        TCP,
        /** UDP. */
        UDP;

        /** {@return the lower-case name, as {@code -p} and slirp4netns spell it} */
        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Pattern SYNTAX = Pattern.compile("(?:(.*):)?(\\d*):(\\d+)(?:/(tcp|udp))?|(\\d+)(?:/(tcp|udp))?");
    private static final int MAX_PORT = 65535;

    /**
     * @throws IllegalArgumentException if a port is out of range (the host port may be 0, the container's not)
     */
    public PortMapping {
        Objects.requireNonNull(hostAddress);
        Objects.requireNonNull(protocol);
        if (hostPort < 0 || hostPort > MAX_PORT) {
            throw new IllegalArgumentException("host port " + hostPort + " is out of range 0-65535 (0: any free port)");
        }
        if (containerPort < 1 || containerPort > MAX_PORT) {
            throw new IllegalArgumentException("container port " + containerPort + " is out of range 1-65535");
        }
    }

    /** {@return TCP port {@code containerPort} published on a free port of the host's loopback address 127.0.0.1} */
    public static PortMapping onLoopback(int containerPort) {
        return new PortMapping(InetAddress.getLoopbackAddress(), 0, containerPort, Protocol.TCP);
    }

    /**
     * {@return the mapping {@code -p} writes as {@code [IP:]HOSTPORT:CONTAINERPORT[/udp]}: without IP on every
     * address (0.0.0.0), an empty HOSTPORT or a CONTAINERPORT alone on a free port, as docker reads it}
     *
     * @throws IllegalArgumentException naming {@code text} and the form expected, if it is not one
     */
    public static PortMapping parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid port mapping \"" + text
                    + "\": expected [IP:]HOSTPORT:CONTAINERPORT[/tcp|/udp], e.g. 127.0.0.1:8080:80");
        }
        try {
            if (m.group(5) != null) {
                return new PortMapping(anyAddress(), 0, port(m.group(5)), protocol(m.group(6)));
            }
            InetAddress address = m.group(1) == null ? anyAddress() : InetAddress.ofLiteral(m.group(1));
            int hostPort = m.group(2).isEmpty() ? 0 : port(m.group(2));
            return new PortMapping(address, hostPort, port(m.group(3)), protocol(m.group(4)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid port mapping \"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static InetAddress anyAddress() {
        return new InetSocketAddress(0).getAddress();
    }

    private static int port(String digits) {
        return digits.length() > 5 ? MAX_PORT + 1 : Integer.parseInt(digits);
    }

    private static Protocol protocol(String spelling) {
        return spelling == null || spelling.equals("tcp") ? Protocol.TCP : Protocol.UDP;
    }

    /** {@return this mapping with the host port {@code port}, once jrun chose one} */
    public PortMapping withHostPort(int port) {
        return new PortMapping(hostAddress, port, containerPort, protocol);
    }

    /** {@return where the port is reached on the host} */
    public InetSocketAddress hostSocketAddress() {
        return new InetSocketAddress(hostAddress, hostPort);
    }

    /** {@return the mapping as {@code -p} writes it} */
    @Override
    public String toString() {
        // An IPv6 address in brackets, as -p takes it: its own colons would run into the ports'.
        String address = hostAddress instanceof Inet6Address ? "[" + hostAddress.getHostAddress() + "]"
                : hostAddress.getHostAddress();
        return address + ":" + hostPort + ":" + containerPort + "/" + protocol.spelling();
    }
}
