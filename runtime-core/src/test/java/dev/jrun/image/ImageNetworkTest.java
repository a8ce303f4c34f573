package dev.jrun.image;

import dev.jrun.ContainerRoot;
import dev.jrun.ImageStore;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Network;
import dev.jrun.model.PortMapping;
import dev.jrun.model.Stdio;
import dev.jrun.testing.ChildProcesses;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Image containers on their networks, for real: busybox httpd answers the test on a published port
 * of the host's loopback, a private container reaches a server on the host's loopback through
 * slirp4netns's gateway 10.0.2.2 and one with loopback only cannot, and the helper is gone by PID
 * once its container ended. Everything talks to loopback or the container's own namespace.
 */
class ImageNetworkTest {

    private static final String HELPER = "slirp4netns";
    private static final String GATEWAY = "10.0.2.2";
    private static final InetAddress IPV6_LOOPBACK = InetAddress.getLoopbackAddress() instanceof Inet6Address loopback
            ? loopback : ipv6Loopback();
    private static final List<String> HTTPD = List.of("sh", "-c",
            "busybox mkdir /www && echo hello from httpd > /www/index.html && exec busybox httpd -f -p 80 -h /www");

    @TempDir
    Path directory;
    private ImageStore store;
    private Image image;

    @BeforeAll
    static void needsRootAndTheHelper() {
        RequiresRoot.assumeRoot("mounts overlay roots and starts containers with network namespaces");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin", HELPER)),
                "needs /usr/bin/slirp4netns for the private network: install Debian's package slirp4netns");
    }

    @BeforeEach
    void busyboxImage() {
        Path layout = directory.resolve("layout");
        TestImages.ociLayout(layout, "example.org/busybox:net", TestImages.process(List.of("sh")),
                List.of(TestLayer.busybox().tarGz()));
        store = ImageStore.at(directory.resolve("store"));
        image = store.importImage(layout, Optional.empty());
    }

    @AfterEach
    void noHelperLeft() {
        assertThat(ChildProcesses.named(HELPER)).as("slirp4netns processes left").isEmpty();
    }

    @Test
    void httpdAnswersOnAPublishedPortOfTheHostsLoopback() throws IOException {
        try (ContainerRoot root = store.mountRoot(image);
             ContainerProcess httpd = root.builder(HTTPD).publish(80).stdin(Stdio.DISCARD).build().start()) {
            InetSocketAddress address = httpd.publishedAddress(80);
            awaitListening(httpd, 80);

            String response = httpGet(address);

            assertThat(address.getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(response).startsWith("HTTP/1.").contains(" 200 ").endsWith("hello from httpd\n");
        }
    }

    @Test
    void httpdAnswersOnAPublishedPortOfTheHostsIpv6LoopbackUntilItEnds() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(IPV6_LOOPBACK, 0));
        } catch (IOException e) {
            assumeTrue(false, "needs IPv6 loopback (::1) on the host: " + e.getMessage());
        }
        InetSocketAddress address;
        try (ContainerRoot root = store.mountRoot(image);
             // This JVM relays the port: the container ends with it.
             ContainerProcess httpd = root.builder(HTTPD).dieWithParent(true)
                     .publish(new PortMapping(IPV6_LOOPBACK, 0, 80, PortMapping.Protocol.TCP))
                     .stdin(Stdio.DISCARD).build().start()) {
            address = httpd.publishedAddress(80);
            awaitListening(httpd, 80);

            String response = httpGet(address);

            assertThat(address.getAddress()).isEqualTo(IPV6_LOOPBACK);
            assertThat(response).startsWith("HTTP/1.").contains(" 200 ").endsWith("hello from httpd\n");
        }
        assertThatThrownBy(() -> httpGet(address)).as("nothing listens once the container ended")
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void anIpv6PortOfAContainerThatOutlivesThisJvmIsRefusedBeforeAnythingStarts() {
        try (ContainerRoot root = store.mountRoot(image)) {
            var outliving = root.builder(List.of("true")).dieWithParent(false)
                    .publish(new PortMapping(IPV6_LOOPBACK, 0, 80, PortMapping.Protocol.TCP));

            assertThatThrownBy(() -> outliving.build().start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("publish port [0:0:0:0:0:0:0:1]:0:80/tcp")
                    .hasMessageContaining("not for a container that outlives it");
        }
    }

    @Test
    void aPrivateNetworkReachesTheHostsLoopbackThroughTheGateway() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = serveOneGreeting(server);

            ContainerRun run = run(List.of("busybox", "nc", GATEWAY, Integer.toString(server.getLocalPort())),
                    Optional.empty());

            assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
            assertThat(run.stdout()).isEqualTo("hello from the host\n");
            served.get(ContainerRun.LIMIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void loopbackOnlyCannotReachTheHost() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ContainerRun run = run(List.of("busybox", "nc", GATEWAY, Integer.toString(server.getLocalPort())),
                    Optional.of(Network.NONE));

            assertThat(run.status().shellCode()).isNotZero();
            assertThat(run.stderr()).contains("Network is unreachable");
        }
    }

    @Test
    void theHelperEndsWithItsContainer() {
        try (ContainerRoot root = store.mountRoot(image);
             ContainerProcess process = root.builder(List.of("cat"))
                     .stdin(Stdio.PIPE).stdout(Stdio.DISCARD).build().start()) {
            List<Integer> helpers = ChildProcesses.named(HELPER);
            assertThat(helpers).as("the container's helper").hasSize(1);
            assertThat(helperDirectories()).as("its API socket and log, removed once it was ready").isEmpty();

            process.stdin().close();
            assertThat(process.waitFor()).isEqualTo(ExitStatus.exited(0));

            assertThat(ChildProcesses.exists(helpers.getFirst(), HELPER)).as("helper " + helpers.getFirst()).isFalse();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theContainerGetsItsNetworkFiles() {
        ContainerRun run;
        try (ContainerRoot root = store.mountRoot(image)) {
            run = ContainerRun.run(root.builder(List.of("cat", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"))
                    .hostname("web"));
        }

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout()).startsWith("nameserver 10.0.2.3\nweb\n127.0.0.1\tlocalhost\n")
                .contains("10.0.2.100\tweb\n", GATEWAY + "\thost.containers.internal\n");
    }

    @Test
    void aHostPortInUseIsRefusedByNumberBeforeAnythingStarts() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ContainerRoot root = store.mountRoot(image)) {
            PortMapping mapping = new PortMapping(InetAddress.getLoopbackAddress(), taken.getLocalPort(), 80,
                    PortMapping.Protocol.TCP);

            assertThatThrownBy(() -> root.builder(List.of("true")).publish(mapping).build().start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("port " + taken.getLocalPort()).hasMessageContaining("in use");
        }
    }

    private static InetAddress ipv6Loopback() {
        try {
            return InetAddress.getByName("::1");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> helperDirectories() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(file -> file.getFileName().toString().startsWith("jrun-slirp-")).toList();
        }
    }

    private ContainerRun run(List<String> command, Optional<Network> network) {
        try (ContainerRoot root = store.mountRoot(image)) {
            var builder = root.builder(command);
            network.ifPresent(builder::network);
            return ContainerRun.run(builder);
        }
    }

    private static CompletableFuture<Void> serveOneGreeting(ServerSocket server) {
        return CompletableFuture.runAsync(() -> {
            try (Socket client = server.accept()) {
                client.getOutputStream().write("hello from the host\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /**
     * Waits until the container's own socket tables list a TCP listener on {@code port} (busybox
     * httpd listens on IPv6's any address, which takes IPv4 too).
     */
    private static void awaitListening(ContainerProcess process, int port) throws IOException {
        Path net = Path.of("/proc", Integer.toString(process.pid()), "net");
        long deadline = System.nanoTime() + ContainerRun.LIMIT.toNanos();
        while (!listens(net.resolve("tcp"), port) && !listens(net.resolve("tcp6"), port)) {
            assertThat(System.nanoTime()).as("httpd listening on " + port).isLessThan(deadline);
            assertThat(process.waitFor(Duration.ZERO)).as("httpd's end").isEmpty();
            sleep(Duration.ofMillis(20));
        }
    }

    private static boolean listens(Path table, int port) throws IOException {
        String local = String.format(":%04X ", port);
        return Files.readAllLines(table).stream().anyMatch(line -> line.contains(local) && line.contains(" 0A "));
    }

    private static String httpGet(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
