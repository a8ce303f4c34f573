package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The host sandbox started by root, attacked for real: by default its root is an unprivileged host
 * user (a user namespace) and the host's /run, where services keep their sockets, is an empty
 * tmpfs; {@link Container.Builder#hostRoot} and {@link FilesystemSetup#withSharedRun()} bring each
 * back.
 */
class HostSandboxIdentityTest {

    private static final Path PERL = Path.of("/usr/bin/perl");
    private static final String GREETING = "hello from the sandbox";

    private Path socket;
    private ServerSocketChannel server;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRoot("the host sandbox's default user namespace is what root gets");
    }

    /** A service of the host: a socket in /run, as root's services make them (only root may connect). */
    @BeforeEach
    void listenInRun() throws IOException {
        socket = Path.of("/run", "jrun-test-" + UUID.randomUUID() + ".sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxr-x---"));
    }

    @AfterEach
    void stopListening() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }

    private static ContainerRun shell(String script, boolean hostRoot, FilesystemSetup filesystem) {
        return ContainerRun.run(Container.builder().command("sh", "-c", script).hostRoot(hostRoot).filesystem(filesystem));
    }

    @Test
    void rootInTheSandboxIsAnUnprivilegedHostUserWhoCannotReadShadow() {
        ContainerRun run = shell("id -u; cat /proc/self/uid_map; cat /etc/shadow > /dev/null && echo read", false,
                FilesystemSetup.hostSandbox());

        assertThat(run.stdoutLines()).hasSize(2);
        assertThat(run.stdoutLines().getFirst()).isEqualTo("0");
        String[] map = run.stdoutLines().get(1).trim().split("\\s+");
        assertThat(map[0]).isEqualTo("0");
        assertThat(Long.parseLong(map[1])).as("the host uid of the sandbox's root").isGreaterThanOrEqualTo(65_536);
        assertThat(run.stderr()).contains("/etc/shadow: Permission denied");
    }

    @Test
    void asTheHostsRootTheSandboxReadsShadow() {
        ContainerRun run = shell("id -u; cat /proc/self/uid_map; cat /etc/shadow > /dev/null && echo read", true,
                FilesystemSetup.hostSandbox());

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).hasSize(3);
        assertThat(run.stdoutLines().get(1).trim().split("\\s+")).containsExactly("0", "0", "4294967295");
        assertThat(run.stdoutLines().get(2)).isEqualTo("read");
    }

    @Test
    void aSocketInTheHostsRunIsNotThere() {
        ContainerRun run = shell("ls -A /run; test -S " + socket + " || echo absent", false, FilesystemSetup.hostSandbox());

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout()).isEqualTo("absent\n");
    }

    @Test
    void asTheHostsRootTheRunIsStillEmpty() {
        ContainerRun run = shell("ls -A /run; test -S " + socket + " || echo absent", true, FilesystemSetup.hostSandbox());

        assertThat(run.stdout()).isEqualTo("absent\n");
    }

    @Test
    void withTheHostsRunTheSocketIsThereButOnlyTheHostsRootMayConnect() throws Exception {
        assumeTrue(Files.isExecutable(PERL), "connects with " + PERL + " (Debian's perl-base)");
        FilesystemSetup sharedRun = FilesystemSetup.hostSandbox().withSharedRun();

        String script = "test -S " + socket + " && echo present; " + connect();

        ContainerRun unprivileged = shell(script, false, sharedRun);
        assertThat(unprivileged.stdout()).isEqualTo("present\n");
        assertThat(unprivileged.status().code()).isNotZero();
        assertThat(unprivileged.stderr()).contains("connect: Permission denied");

        CompletableFuture<String> received = CompletableFuture.supplyAsync(this::receive,
                task -> Thread.ofPlatform().daemon().start(task));
        ContainerRun asHostRoot = shell(script, true, sharedRun);
        assertThat(asHostRoot.status()).as(asHostRoot.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(asHostRoot.stdout()).isEqualTo("present\n");
        assertThat(received.get(ContainerRun.LIMIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(GREETING);
    }

    @Test
    void aVolumeIsWrittenAsTheUnprivilegedUserSoRootsFilesStayUnchanged(@TempDir Path volume) throws IOException {
        Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(volume.resolve("root-owned"), "host");
        FilesystemSetup filesystem = FilesystemSetup.hostSandbox()
                .withBind(volume, "/mnt", FilesystemSetup.Access.READ_WRITE);

        ContainerRun run = shell("cat /mnt/root-owned; echo changed > /mnt/root-owned; touch /mnt/new", false, filesystem);

        assertThat(run.stdout()).isEqualTo("host");
        assertThat(run.stderr()).contains("/mnt/root-owned: Permission denied", "/mnt/new': Permission denied");
        assertThat(file).hasContent("host");
        assertThat(volume.resolve("new")).doesNotExist();
    }

    /** A perl client: connects to the socket and sends the greeting; perl says why when it cannot. */
    private String connect() {
        return PERL + " -MSocket -e 'socket(my $s, PF_UNIX, SOCK_STREAM, 0) or die \"socket: $!\\n\";"
                + " connect($s, pack_sockaddr_un(\"" + socket + "\")) or die \"connect: $!\\n\";"
                + " syswrite($s, \"" + GREETING + "\");'";
    }

    private String receive() {
        try (SocketChannel client = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            while (client.read(buffer) > 0) {
                // until the client closes
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
