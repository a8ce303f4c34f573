package dev.jrun.junit;

import dev.jrun.Container;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting a container by hand: each wait strategy, and the failures that carry the container's output. */
@ExtendWith(RequiresRoot.class)
class SandboxContainerTest {

    @Test
    void aContainerNotReadyInTimeFailsWithItsOutputAndIsStopped() {
        SandboxContainer sandbox = SandboxContainer.command("sh", "-c", "echo preparing; echo slowly >&2; exec sleep 60")
                .waitingFor(Wait.forLogLine("never printed")).startupTimeout(Duration.ofMillis(300));

        assertThatThrownBy(sandbox::start).isInstanceOf(SandboxStartException.class)
                .hasMessageContaining("was not ready within PT0.3S: no a line matching /never printed/")
                .hasMessageContaining("--- stdout of sandbox [sh, -c, echo preparing; echo slowly >&2; exec sleep 60]")
                .hasMessageContaining("preparing\n")
                .hasMessageContaining("slowly\n");
        assertThat(sandbox.isStarted()).isFalse();
        assertThat(sandbox.process().isAlive()).isFalse();
        assertThat(sandbox.process().waitFor().signal()).isEqualTo(9);
    }

    @Test
    void aContainerThatEndsBeforeItIsReadyFailsAtOnce() {
        SandboxContainer sandbox = SandboxContainer.command("sh", "-c", "echo cannot bind >&2; exit 3")
                .waitingFor(Wait.forListeningPort(9));

        assertThatThrownBy(sandbox::start).isInstanceOf(SandboxStartException.class)
                .hasMessageContaining("ended (exited with code 3) before TCP port 9 listening")
                .hasMessageContaining("cannot bind");
    }

    @Test
    void waitingForTheExitGivesTheWholeOutput() {
        try (SandboxContainer sandbox = SandboxContainer.of(Container.builder()
                        .command("sh", "-c", "echo out; echo err >&2; echo more")
                        .stderr(dev.jrun.model.Stdio.STDOUT))
                .waitingFor(Wait.forExit()).start()) {
            assertThat(sandbox.process().waitFor()).isEqualTo(ExitStatus.exited(0));
            assertThat(sandbox.stdout()).isEqualTo("out\nerr\nmore\n");
            assertThat(sandbox.stderr()).isEmpty();
        }
    }

    @Test
    void anHttpServerSharingTheHostNetworkIsReadyWhenItAnswers(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("index.html"), "hello over http\n");
        // The sandbox's root is an unprivileged host user: it reads what anyone may.
        Files.setPosixFilePermissions(site, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(site.resolve("index.html"), PosixFilePermissions.fromString("rw-r--r--"));
        int port = freePort();
        try (SandboxContainer server = SandboxContainer.of(Container.builder()
                        .command("busybox", "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", "/tmp/www")
                        .namespaces(NamespaceSet.isolated().without(Namespace.NETWORK))
                        .filesystem(FilesystemSetup.hostSandbox().withBind(site, "/tmp/www", FilesystemSetup.Access.READ_ONLY)))
                .waitingFor(Wait.forHttp(port, "/index.html", 200)).start()) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.body()).isEqualTo("hello over http\n");
        }
    }

    @Test
    void aClosedContainerCanBeStartedAgain() {
        SandboxContainer sandbox = SandboxContainer.command("sh", "-c", "echo $$").waitingFor(Wait.forExit());
        try (sandbox) {
            sandbox.start();
            assertThat(sandbox.stdout()).isEqualTo("1\n");
            assertThatThrownBy(sandbox::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("already started: sandbox [sh, -c, echo $$]");
        }
        try (sandbox) {
            sandbox.start();
            assertThat(sandbox.stdout()).isEqualTo("1\n");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
