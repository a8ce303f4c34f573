package dev.jrun.internal.network;

import dev.jrun.model.PortMapping;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The host side of published ports, checked before a container starts: a port already taken is
 * refused by number, and a host port 0 becomes a free one (the kernel's choice, released again
 * for slirp4netns to bind).
 */
public final class HostPorts {

    private HostPorts() {
    }

    /**
     * {@return the mappings, each with a host port that was free a moment ago}
     *
     * @throws IllegalArgumentException naming the port, if one is in use or cannot be bound
     */
    public static List<PortMapping> claim(List<PortMapping> mappings) {
        List<PortMapping> claimed = new ArrayList<>();
        for (PortMapping mapping : mappings) {
            claimed.add(mapping.withHostPort(bind(mapping)));
        }
        return claimed;
    }

    private static int bind(PortMapping mapping) {
        InetSocketAddress address = mapping.hostSocketAddress();
        try {
            if (mapping.protocol() == PortMapping.Protocol.UDP) {
                try (DatagramSocket socket = new DatagramSocket(address)) {
                    return socket.getLocalPort();
                }
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(address);
                return socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("publish port " + mapping + ": the host's " + mapping.protocol()
                    + " port " + mapping.hostPort() + " on " + mapping.hostAddress().getHostAddress()
                    + " cannot be used: " + e.getMessage(), e);
        }
    }
}
