package dev.jrun.internal.network;

import dev.jrun.model.Network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The container's /etc/resolv.conf, /etc/hosts and /etc/hostname, as podman writes them for its
 * network: slirp4netns's DNS forwarder in a private network, the host's nameservers with the host's
 * network, none with loopback only.
 */
public final class NetworkFiles {

    /** slirp4netns's addresses: the container's, the gateway (the host's loopback) and the DNS forwarder. */
    static final String CONTAINER_ADDRESS = "10.0.2.100";
    static final String GATEWAY_ADDRESS = "10.0.2.2";
    static final String DNS_ADDRESS = "10.0.2.3";
    private static final Path HOST_RESOLV_CONF = Path.of("/etc/resolv.conf");
    private static final Path HOST_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private NetworkFiles() {
    }

    /**
     * Writes {@code resolv.conf}, {@code hosts} and {@code hostname} into {@code directory}, replacing
     * them, for a container with {@code network} and {@code hostname}.
     */
    public static void write(Path directory, Network network, String hostname) {
        try {
            writeFile(directory.resolve("resolv.conf"), resolvConf(network));
            writeFile(directory.resolve("hosts"), hosts(network, hostname));
            writeFile(directory.resolve("hostname"), hostname + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("write the network files in " + directory, e);
        }
    }

    /** Never through a symbolic link: the directory is the caller's, but a container writes the files it holds. */
    private static void writeFile(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    }

    /** {@return the host's own hostname, for a container that shares it} */
    public static String hostHostname() {
        try {
            return Files.readString(HOST_HOSTNAME).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("read the host's hostname from " + HOST_HOSTNAME, e);
        }
    }

    private static String resolvConf(Network network) throws IOException {
        return switch (network) {
            case PRIVATE -> "nameserver " + DNS_ADDRESS + "\n";
            case HOST -> hostNameservers();
            case NONE -> "";
        };
    }

    /** The host's nameserver, search and options lines: the network is the host's, so its resolvers work. */
    private static String hostNameservers() throws IOException {
        if (!Files.isRegularFile(HOST_RESOLV_CONF)) {
            return "";
        }
        List<String> lines = Files.readAllLines(HOST_RESOLV_CONF);
        return lines.stream().filter(line -> line.startsWith("nameserver") || line.startsWith("search")
                        || line.startsWith("options"))
                .map(line -> line + "\n").collect(Collectors.joining());
    }

    private static String hosts(Network network, String hostname) {
        String own = network == Network.PRIVATE ? CONTAINER_ADDRESS : "127.0.1.1";
        String gateway = network == Network.PRIVATE ? GATEWAY_ADDRESS + "\thost.containers.internal\n" : "";
        return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" + own + "\t" + hostname + "\n"
                + gateway;
    }
}
