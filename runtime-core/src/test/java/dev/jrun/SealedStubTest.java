package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.Stdio;
import dev.jrun.testing.HostSnapshot;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container runs its set-up from the launch stub, a file in memory; that file is sealed, so
 * nobody who reaches it through /proc (another container with enough capabilities, a process of
 * the host) can rewrite what a container executes.
 */
class SealedStubTest {

    @TempDir
    Path scratch;

    @Test
    void theStubAContainerRunsFromIsSealedAgainstAnyChange() throws IOException {
        RequiresRoot.assumeRootForContainers();
        Path fifo = scratch.resolve("exec.fifo");
        Descriptors.mkfifo(fifo.toString(), 0600);
        HostSnapshot before = HostSnapshot.capture();

        // Waiting at its start gate, the container's first process still runs the stub. It runs as
        // the host's root: its exec FIFO is in a temporary directory only root may enter.
        try (ContainerProcess waiting = Container.builder().command("true").startGate(fifo).hostRoot(true)
                .stdin(Stdio.DISCARD).stdout(Stdio.DISCARD).stderr(Stdio.DISCARD).build().start()) {
            Path executable = Path.of("/proc", Integer.toString(waiting.pid()), "exe");
            assertThat(Files.readSymbolicLink(executable).toString()).startsWith("/memfd:jrun-stub");
            int stub = Descriptors.open(executable.toString(), Libc.O_RDONLY());
            try {
                assertThat(Descriptors.fcntl(stub, Libc.F_GET_SEALS(), 0)).isEqualTo(
                        Libc.F_SEAL_WRITE() | Libc.F_SEAL_GROW() | Libc.F_SEAL_SHRINK() | Libc.F_SEAL_SEAL());
            } finally {
                Descriptors.close(stub);
            }
        }

        assertThat(HostSnapshot.capture()).isEqualTo(before);
    }
}
