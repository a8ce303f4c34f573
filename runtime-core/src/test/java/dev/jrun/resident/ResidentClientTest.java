package dev.jrun.resident;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The forwarding client as a process, against a server of the test's (run here, without root):
 * what it does when no server listens, when the server declines, and the plan it is made of.
 * Running a command for it, with its descriptors, is {@code ResidentHelperTest}'s, in a JVM of the
 * helper's own.
 */
class ResidentClientTest {

    @TempDir
    Path work;

    @Test
    @Tag("plan")
    void thePlanSendsTheStandardDescriptorsAndGoesOnAtTheExitForAFailedStep() {
        String plan = ResidentClient.plan(Path.of("/run/jrun-helper/x.sock")).toString();

        assertThat(plan).contains("connect($0, {sa_family=AF_UNIX, sun_path=\"/run/jrun-helper/x.sock\"}")
                .contains("sendmsg($0, {msg_iov=[{\"j\", 1}], msg_control=[{SOL_SOCKET, SCM_RIGHTS, [0, 1, 2]}]}")
                .contains("(fails: goto 5)")
                .contains("exit_group(254)")
                .contains("exit_group(255)")
                .contains("exit_group($9)");
    }

    @Test
    void withNoServerTheClientExitsUnreachable() throws Exception {
        Path client = client(work.resolve("nobody-listens.sock"));

        assertThat(exitOf(client)).isEqualTo(ResidentClient.UNREACHABLE);
    }

    @Test
    void aServerThatClosesTheConnectionDeclinesAndSeesTheClientsArguments() throws Exception {
        Path socket = work.resolve("server").resolve("declines.sock");
        try (ResidentServer server = ResidentServer.listen(socket).orElseThrow()) {
            Process client = new ProcessBuilder(client(socket).toString(), "state", "an id").start();
            Optional<ResidentRequest> request = server.next(Duration.ofSeconds(60));

            assertThat(request).isPresent();
            try (ResidentRequest declined = request.get()) {
                assertThat(declined.pid()).isEqualTo(client.pid());
                assertThat(declined.arguments()).containsExactly("state", "an id");
            }
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).isEqualTo(ResidentClient.DECLINED);
        }
    }

    @Test
    void oneServerListensOnASocketAndTheNextOneReplacesWhatItLeft() throws Exception {
        Path socket = work.resolve("server").resolve("one.sock");
        try (ResidentServer first = ResidentServer.listen(socket).orElseThrow()) {
            assertThat(ResidentServer.listen(socket)).as("a second server while the first listens").isEmpty();
        }
        Files.createFile(socket);

        try (ResidentServer next = ResidentServer.listen(socket).orElseThrow()) {
            assertThat(Files.readAttributes(socket, BasicFileAttributes.class).isOther()).as("the socket replaced the file left at its path").isTrue();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void aDirectoryOthersCanEnterIsRefused() throws IOException {
        Path open = Files.createDirectory(work.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> ResidentServer.listen(open.resolve("x.sock")))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a directory of this user's alone");
    }

    private Path client(Path socket) throws IOException {
        Path client = Files.write(work.resolve("client-" + socket.getFileName()), ResidentClient.executable(socket));
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        return client;
    }

    private static int exitOf(Path client) throws Exception {
        Process process = new ProcessBuilder(List.of(client.toString(), "list")).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
