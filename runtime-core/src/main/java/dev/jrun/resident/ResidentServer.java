package dev.jrun.resident;

import dev.jrun.internal.sys.Credentials;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.UnixSockets;
import dev.jrun.model.NamespaceSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The listening end of the resident helper: a {@code SOCK_SEQPACKET} socket in a directory only its
 * owner can enter, taking commands from {@link ResidentClient}s run by the same user.
 *
 * <p>One server listens on a socket at a time: it holds an exclusive lock on a file beside the
 * socket for as long as it listens, so a second one finds the lock taken, and the first one to take
 * it after a crash replaces the socket the crashed one left.
 */
public final class ResidentServer implements AutoCloseable {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final int BACKLOG = 64;

    private final Path socket;
    private final FileChannel lockFile;
    private final int listener;

    private ResidentServer(Path socket, FileChannel lockFile, int listener) {
        this.socket = socket;
        this.lockFile = lockFile;
        this.listener = listener;
    }

    /**
     * Listens on {@code socket}, making its directory (mode 0700) when missing.
     *
     * @return the server, or empty when another server listens there already
     * @throws IOException when the directory is not this user's alone, or the socket cannot be made
     */
    public static Optional<ResidentServer> listen(Path socket) throws IOException {
        Path directory = socket.toAbsolutePath().getParent();
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        requireOwnerOnly(directory);
        FileChannel lockFile = FileChannel.open(directory.resolve(socket.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (!locked(lockFile)) {
                lockFile.close();
                return Optional.empty();
            }
            Files.deleteIfExists(socket);
            return Optional.of(new ResidentServer(socket, lockFile, UnixSockets.listenSequenced(socket, BACKLOG)));
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code idle} for the next command of a client run by this server's user; clients
     * of other users, connections that bring no standard descriptors and clients in any other
     * namespace (a mount namespace shows other state and cgroups, a PID namespace other
     * processes) are turned away: a client turned away after it sent runs its command itself.
     *
     * @return the request, or empty when none came in that time
     */
    public Optional<ResidentRequest> next(Duration idle) {
        while (true) {
            OptionalInt connection = UnixSockets.acceptWithin(listener, Math.toIntExact(idle.toMillis()));
            if (connection.isEmpty()) {
                return Optional.empty();
            }
            UnixSockets.Peer peer = UnixSockets.peer(connection.getAsInt());
            if (peer.uid() != Credentials.effectiveUid()) {
                Descriptors.close(connection.getAsInt());
                continue;
            }
            Optional<ResidentRequest> request = ResidentRequest.receive(connection.getAsInt(), peer.pid());
            if (request.isPresent() && inServersNamespaces(peer.pid())) {
                return request;
            }
            request.ifPresent(ResidentRequest::close);
        }
    }

    /** Stops listening and removes the socket, then lets another server take its place. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(socket);
            Descriptors.close(listener);
        } finally {
            lockFile.close();
        }
    }

    /** {@return whether this took the lock}: false when another process, or another server of this JVM, holds it */
    private static boolean locked(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** {@return whether process {@code pid} shares every namespace with this one}: false when it is gone */
    private static boolean inServersNamespaces(int pid) {
        try {
            return NamespaceSet.joiningAllOf(pid).joined().isEmpty();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return false;
        }
    }

    private static void requireOwnerOnly(Path directory) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        Object owner = Files.getAttribute(directory, "unix:uid");
        if (!permissions.equals(OWNER_ONLY) || ((Integer) owner).longValue() != Credentials.effectiveUid()) {
            throw new IOException(directory + " is not a directory of this user's alone (mode 0700): the resident"
                    + " helper's socket is not made there");
        }
    }
}
