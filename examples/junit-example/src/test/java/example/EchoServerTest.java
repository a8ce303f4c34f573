package example;

import dev.jrun.Container;
import dev.jrun.junit.Sandbox;
import dev.jrun.junit.SandboxContainer;
import dev.jrun.junit.Sandboxes;
import dev.jrun.junit.Wait;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A server in a container: busybox's nc answers each connection with a shell, in a sandbox that
 * shares the host's network so the test can connect. The extension starts it once for the class
 * and the tests talk to it once its port listens.
 */
@Sandboxes
class EchoServerTest {

    private static final int PORT = freePort();

    @Sandbox
    static final SandboxContainer SERVER = SandboxContainer.of(Container.builder()
                    .command("busybox", "nc", "-ll", "-p", Integer.toString(PORT),
                            "-e", "sh", "-c", "read line; echo \"$(hostname) got: $line\"")
                    .hostname("echo-server")
                    .namespaces(NamespaceSet.isolated().without(Namespace.NETWORK)))
            .waitingFor(Wait.forListeningPort(PORT));

    @Test
    void theServerAnswers() throws IOException {
        assertEquals("echo-server got: hello", ask("hello"));
    }

    @Test
    void theServerAnswersEveryConnection() throws IOException {
        assertEquals("echo-server got: one", ask("one"));
        assertEquals("echo-server got: two", ask("two"));
    }

    private static String ask(String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            OutputStream out = socket.getOutputStream();
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
