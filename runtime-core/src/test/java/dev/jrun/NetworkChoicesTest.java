package dev.jrun;

import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Network;
import dev.jrun.model.PortMapping;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The network a container is built with, the ports it publishes as {@code -p} writes them, and the rules between them. */
@Tag("plan")
class NetworkChoicesTest {

    @TempDir
    Path directory;

    @Test
    void portMappingsAreReadAsDockerWritesThem() throws Exception {
        InetAddress any = InetAddress.ofLiteral("0.0.0.0");
        InetAddress loopback = InetAddress.ofLiteral("127.0.0.1");

        assertThat(PortMapping.parse("127.0.0.1:8080:80"))
                .isEqualTo(new PortMapping(loopback, 8080, 80, PortMapping.Protocol.TCP));
        assertThat(PortMapping.parse("5353:53/udp")).isEqualTo(new PortMapping(any, 5353, 53, PortMapping.Protocol.UDP));
        assertThat(PortMapping.parse("127.0.0.1::80/tcp"))
                .isEqualTo(new PortMapping(loopback, 0, 80, PortMapping.Protocol.TCP));
        assertThat(PortMapping.parse("80")).isEqualTo(new PortMapping(any, 0, 80, PortMapping.Protocol.TCP));
        assertThat(PortMapping.parse("127.0.0.1:8080:80")).hasToString("127.0.0.1:8080:80/tcp");
    }

    @Test
    void badPortMappingsAreRefusedWithTheFormExpected() {
        assertThatThrownBy(() -> PortMapping.parse("8080:http")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid port mapping \"8080:http\": expected [IP:]HOSTPORT:CONTAINERPORT[/tcp|/udp],"
                        + " e.g. 127.0.0.1:8080:80");
        assertThatThrownBy(() -> PortMapping.parse("80:80/sctp")).hasMessageContaining("expected [IP:]HOSTPORT");
        assertThatThrownBy(() -> PortMapping.parse("70000:80")).hasMessageContaining("host port 70000 is out of range");
        assertThatThrownBy(() -> PortMapping.parse("8080:0")).hasMessageContaining("container port 0 is out of range");
        assertThatThrownBy(() -> PortMapping.parse("localhost:8080:80"))
                .hasMessageStartingWith("invalid port mapping \"localhost:8080:80\"");
    }

    @Test
    void networkModesAreNamedAsTheCommandLineNamesThem() {
        assertThat(Network.named("none")).isEqualTo(Network.NONE);
        assertThat(Network.named("host")).isEqualTo(Network.HOST);
        assertThat(Network.named("private")).isEqualTo(Network.PRIVATE);
        assertThat(Network.named("slirp4netns")).isEqualTo(Network.PRIVATE);
        assertThatThrownBy(() -> Network.named("bridge")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown network mode \"bridge\": use none");
    }

    @Test
    void theNetworkDecidesTheNetworkNamespace() {
        Container host = Container.builder().command("true").network(Network.HOST).build(FakeHosts.root());
        Container isolated = Container.builder().command("true").network(Network.PRIVATE).build(FakeHosts.root());
        Container byDefault = Container.builder().command("true").build(FakeHosts.root());

        assertThat(host.namespaces().isolates(Namespace.NETWORK)).isFalse();
        assertThat(host.network()).isEqualTo(Network.HOST);
        assertThat(isolated.namespaces().creates(Namespace.NETWORK)).isTrue();
        assertThat(byDefault.network()).as("the sandbox: loopback only").isEqualTo(Network.NONE);
    }

    @Test
    void publishingNeedsThePrivateNetwork() {
        assertThatThrownBy(() -> Container.builder().command("true").publish(80).build(FakeHosts.root()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("publishing ports [127.0.0.1:0:80/tcp] needs the private network (Network.PRIVATE,"
                        + " jrun run --network private); this container's is NONE");
        assertThat(Container.builder().command("true").network(Network.PRIVATE).publish(80).build(FakeHosts.root())
                .published()).containsExactly(PortMapping.onLoopback(80));
    }

    @Test
    void namespacesSetAfterTheNetworkMustFitIt() {
        Container.Builder joined = Container.builder().command("true").network(Network.PRIVATE)
                .namespaces(NamespaceSet.isolated().without(Namespace.NETWORK));

        assertThatThrownBy(() -> joined.build(FakeHosts.root())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("network PRIVATE does not fit the namespaces")
                .hasMessageContaining("it needs a new network namespace");
    }

    @Test
    void networkFilesAreBoundOverARootOfItsOwnOnly() {
        Container container = Container.builder().command("true").filesystem(FilesystemSetup.rootfs(directory))
                .networkFiles(directory).build(FakeHosts.root());

        assertThat(container.filesystem().mounts()).contains(
                new FilesystemSetup.Bind(directory.resolve("resolv.conf"), "/etc/resolv.conf",
                        FilesystemSetup.Access.READ_WRITE),
                new FilesystemSetup.Bind(directory.resolve("hosts"), "/etc/hosts", FilesystemSetup.Access.READ_WRITE),
                new FilesystemSetup.Bind(directory.resolve("hostname"), "/etc/hostname",
                        FilesystemSetup.Access.READ_WRITE));
        assertThatThrownBy(() -> Container.builder().command("true").networkFiles(directory).build(FakeHosts.root()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("over a root filesystem of the container's own");
    }
}
