package dev.jrun;

import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A new network namespace has loopback only, and it is up. */
class ContainerNetworkTest {

    private static final int IFF_UP = 0x1;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void loopbackIsUp() {
        ContainerRun run = ContainerRun.run("cat", "/sys/class/net/lo/flags");

        int flags = Integer.decode(run.stdout().strip());
        assertThat(flags & IFF_UP).as("IFF_UP in %s", run.stdout().strip()).isEqualTo(IFF_UP);
    }

    @Test
    void loopbackIsTheOnlyInterface() {
        assertThat(ContainerRun.run("ls", "/sys/class/net").stdoutLines()).containsExactly("lo");
    }

    @Test
    void withoutANetworkNamespaceTheHostsInterfacesAreSeen() throws IOException {
        Container.Builder shared = Container.builder().command("ls", "/sys/class/net")
                .namespaces(NamespaceSet.isolated().without(Namespace.NETWORK));

        try (Stream<Path> host = Files.list(Path.of("/sys/class/net"))) {
            assertThat(ContainerRun.run(shared).stdoutLines())
                    .containsExactlyInAnyOrderElementsOf(host.map(p -> p.getFileName().toString()).toList());
        }
    }
}
