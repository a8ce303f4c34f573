package dev.jrun.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jrun run --network} and {@code -p} for real: busybox httpd in the host sandbox answers
 * on a port published on the host's loopback, and its slirp4netns is gone by PID once jrun ended;
 * a UDP server in the sandbox answers a datagram sent to a port published with {@code /udp};
 * an image gets the private network by default, {@code --network none} only loopback; bad
 * {@code -p} and {@code --network} values and a host port in use are refused by name.
 */
class NetworkCliTest {

    /**
     * A UDP echo server for the sandbox, run by the JDK's source launcher: busybox's nc has no
     * {@code -u}, and the sandbox sees the host's JDK.
     */
    private static final String UDP_ECHO = """
            import java.net.DatagramPacket;
            import java.net.DatagramSocket;

            class UdpEcho {
                public static void main(String[] args) throws Exception {
                    try (DatagramSocket socket = new DatagramSocket(Integer.parseInt(args[0]))) {
                        System.out.println("ready");
                        DatagramPacket request = new DatagramPacket(new byte[512], 512);
                        socket.receive(request);
                        byte[] reply = ("echo " + new String(request.getData(), 0, request.getLength())).getBytes();
                        socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
                    }
                }
            }
            """;

    @TempDir
    Path directory;
    private final JrunCli jrun = JrunCli.asThisUser();

    @BeforeEach
    void needsRootAndTheHelpers() {
        HostSystem.assumeRoot("starts containers with network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/slirp4netns")),
                "needs /usr/bin/slirp4netns for the private network: install Debian's package slirp4netns");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox: install busybox-static");
    }

    @Test
    void aPublishedPortReachesHttpdInTheSandboxAndTheHelperEndsWithJrun() throws IOException {
        // The sandbox's root is an unprivileged host user: it must be able to reach the files it serves.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path www = Files.createDirectory(directory.resolve("www"));
        Files.writeString(www.resolve("index.html"), "hello through -p\n");
        int port = freeLoopbackPort();
        // httpd without -f forks into the background once it listens; cat keeps the container until stdin closes.
        Process started = jrun.start("run", "-p", "127.0.0.1:" + port + ":80", "-v", www + ":" + www + ":ro", "--",
                "sh", "-c", "busybox httpd -p 80 -h " + www + " && echo ready && exec cat");
        List<Long> helpers;
        String response;
        try {
            JrunCli.whenReady(started);
            helpers = started.descendants().filter(p -> p.info().command().orElse("").endsWith("/slirp4netns"))
                    .map(ProcessHandle::pid).toList();
            response = httpGet(port);
        } catch (IOException | RuntimeException | AssertionError e) {
            JrunCli.killWithContainers(started);
            throw e;
        }
        started.getOutputStream().close();
        JrunCli.Result result = JrunCli.finish(started, JrunCli.LIMIT);

        assertThat(response).startsWith("HTTP/1.").contains(" 200 ").endsWith("hello through -p\n");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(helpers).as("jrun's slirp4netns").hasSize(1);
        assertThat(ProcessHandle.of(helpers.getFirst()).filter(ProcessHandle::isAlive))
                .as("slirp4netns " + helpers.getFirst() + " after jrun ended").isEmpty();
    }

    @Test
    void aPublishedUdpPortReachesAServerInTheSandbox() throws IOException {
        // The sandbox's root is an unprivileged host user: it must be able to read the server's source.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path server = Files.writeString(directory.resolve("UdpEcho.java"), UDP_ECHO);
        int port = freeLoopbackUdpPort();
        Process started = jrun.start("run", "-p", "127.0.0.1:" + port + ":5353/udp", "-v",
                directory + ":" + directory + ":ro", "--", JrunCli.JAVA, server.toString(), "5353");
        String reply;
        try {
            JrunCli.whenReady(started);
            reply = exchangeDatagram(port, "ping");
        } catch (IOException | RuntimeException | AssertionError e) {
            JrunCli.killWithContainers(started);
            throw e;
        }
        JrunCli.Result result = JrunCli.finish(started, JrunCli.LIMIT);

        assertThat(reply).isEqualTo("echo ping");
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    @Test
    void badPublishAndNetworkValuesAreRefusedByName() {
        JrunCli.Result badPort = jrun.run("run", "-p", "8080:http", "--", "true");
        JrunCli.Result badMode = jrun.run("run", "--network", "wifi", "--", "true");

        assertThat(badPort.exitCode()).isEqualTo(2);
        assertThat(badPort.stderr()).contains("invalid port mapping \"8080:http\"", "[IP:]HOSTPORT:CONTAINERPORT");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.stderr()).contains("unknown network mode \"wifi\"", "none", "host", "private");
    }

    @Test
    void aHostPortInUseIsRefusedByNumber() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JrunCli.Result result = jrun.run("run", "-p", "127.0.0.1:" + taken.getLocalPort() + ":80", "--", "true");

            assertThat(result.exitCode()).isEqualTo(125);
            assertThat(result.stderr()).contains("port " + taken.getLocalPort(), "in use");
        }
    }

    @Test
    void anImageHasThePrivateNetworkByDefaultAndNoneOnRequest() throws Exception {
        BusyboxImageArchives.writeTo(directory);
        JrunCli withStore = new JrunCli(List.of("env", "JRUN_STORAGE=" + directory.resolve("storage")),
                jrun.classpath());
        assertThat(withStore.run("import", directory.resolve("oci.tar").toString(), "net-test").exitCode()).isZero();

        JrunCli.Result private_ = withStore.run("run", "--hostname", "web", "net-test", "sh", "-c",
                "cat /etc/resolv.conf /etc/hostname; cat /proc/net/dev");
        JrunCli.Result none = withStore.run("run", "--network", "none", "net-test", "sh", "-c",
                "cat /etc/resolv.conf; cat /proc/net/dev");

        assertThat(private_.exitCode()).as(private_.stderr()).isZero();
        assertThat(private_.stdout()).startsWith("nameserver 10.0.2.3\nweb\n").contains("tap0:");
        assertThat(none.exitCode()).as(none.stderr()).isZero();
        assertThat(none.stdout()).doesNotContain("nameserver", "tap0").contains("lo:");
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int freeLoopbackUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Sends {@code message} to the host's loopback at {@code port} and returns the first answer,
     * sending again each second: a datagram may be lost, the server answers the first that arrives.
     */
    private static String exchangeDatagram(int port, String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        long deadline = System.nanoTime() + JrunCli.LIMIT.toNanos();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            DatagramPacket reply = new DatagramPacket(new byte[512], 512);
            while (true) {
                socket.send(new DatagramPacket(bytes, bytes.length, target));
                try {
                    socket.receive(reply);
                    return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    assertThat(System.nanoTime()).as("an answer on udp port " + port).isLessThan(deadline);
                }
            }
        }
    }

    private static String httpGet(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
