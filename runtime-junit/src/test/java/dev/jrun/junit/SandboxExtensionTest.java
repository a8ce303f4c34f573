package dev.jrun.junit;

import dev.jrun.Container;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The extension at work: a static container shared by the class's tests, ready once it logs
 * "ready"; an instance container for each test, ready once its port listens in its own network
 * namespace.
 */
@ExtendWith(RequiresRoot.class)
@Sandboxes
class SandboxExtensionTest {

    @Sandbox
    static final SandboxContainer SHARED = SandboxContainer
            .command("sh", "-c", "echo starting; echo ready >&2; exec sleep 600")
            .waitingFor(Wait.forLogLine("^ready$"));

    private static int sharedPid;

    @Sandbox
    final SandboxContainer listener = SandboxContainer.of(Container.builder()
                    .command("busybox", "nc", "-l", "-p", "7000").hostname("listener"))
            .waitingFor(Wait.forListeningPort(7000));

    @Test
    void theStaticContainerRunsForTheWholeClass() {
        recordOrCompareSharedPid();
        assertThat(SHARED.stdout()).isEqualTo("starting\n");
        assertThat(SHARED.stderr()).isEqualTo("ready\n");
        assertThat(SHARED.process().isAlive()).isTrue();
    }

    @Test
    void eachTestGetsItsOwnListenerInItsOwnNetworkNamespace() throws IOException {
        recordOrCompareSharedPid();
        assertThat(ListeningPorts.of(listener.pid())).contains(7000);
        assertThat(Files.readSymbolicLink(Path.of("/proc", Integer.toString(listener.pid()), "ns", "net")))
                .isNotEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
        assertThat(listener.toString()).contains("sandbox [busybox, nc, -l, -p, 7000]", "running");
    }

    /** Both tests see the same shared container, whichever runs first. */
    private static synchronized void recordOrCompareSharedPid() {
        if (sharedPid == 0) {
            sharedPid = SHARED.pid();
        }
        assertThat(SHARED.pid()).isEqualTo(sharedPid);
    }
}
