package dev.jrun.resident;

import dev.jrun.internal.libc.CStrings;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.UnixSockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import static dev.jrun.bindings.Libc.F_DUPFD_CLOEXEC;
import static dev.jrun.bindings.Libc.O_DIRECTORY;
import static dev.jrun.bindings.Libc.O_PATH;

/**
 * One command a {@link ResidentClient} handed to the {@link ResidentServer}: its arguments, and its
 * standard input, output and error, which the command is run with.
 *
 * <p>Running a command makes the client's descriptors this process's 0, 1 and 2, and the client's
 * working directory this process's, while it runs, so {@code System.out}, {@code System.err},
 * whatever logs through them, relative paths opened and processes started reach what the caller
 * would have: requests are therefore run one at a time. Java's own idea of the working directory
 * ({@code user.dir}, which {@link Path#toAbsolutePath()} uses) stays the server's: a command whose
 * arguments {@code toAbsolutePath} would resolve is for the caller to run itself.
 */
public final class ResidentRequest implements AutoCloseable {

    private static final int STANDARD_DESCRIPTORS = 3;
    private static final long ACCEPTED = 1;
    private static final int FIRST_SPARE_DESCRIPTOR = 3;

    private final int connection;
    private final int pid;
    private final int[] stdio;

    private ResidentRequest(int connection, int pid, int[] stdio) {
        this.connection = connection;
        this.pid = pid;
        this.stdio = stdio;
    }

    /**
     * Receives the client's message on {@code connection} before anything is decided, so that a
     * client is never cut off while it sends; {@return the request, or empty (the connection closed)
     * when the message did not carry the three descriptors}
     */
    static Optional<ResidentRequest> receive(int connection, int pid) {
        int[] stdio = UnixSockets.receiveDescriptors(connection, STANDARD_DESCRIPTORS);
        if (stdio.length == STANDARD_DESCRIPTORS) {
            return Optional.of(new ResidentRequest(connection, pid, stdio));
        }
        Arrays.stream(stdio).forEach(Descriptors::close);
        Descriptors.close(connection);
        return Optional.empty();
    }

    /** {@return the client's process ID} */
    public int pid() {
        return pid;
    }

    /**
     * {@return the command's arguments: the client's own, after its name}, read from
     * {@code /proc/PID/cmdline} while the client waits on the connection
     *
     * @throws IOException when the client is gone
     */
    public List<String> arguments() throws IOException {
        List<String> cmdline = CStrings.splitTerminated(
                Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")));
        return cmdline.isEmpty() ? cmdline : List.copyOf(cmdline.subList(1, cmdline.size()));
    }

    /**
     * Takes the command: tells the client, runs {@code command} with the client's standard
     * descriptors as this process's 0, 1 and 2 and in the client's working directory, and sends the
     * client the status it returns. The process's own descriptors and directory are back in place
     * afterwards, and {@code System.out} and {@code System.err} are flushed before they are.
     *
     * @return the command's exit status
     */
    public int run(IntSupplier command) {
        UnixSockets.sendWord(connection, ACCEPTED);
        int status = inWorkingDirectory(Path.of("/proc", Integer.toString(pid), "cwd"),
                () -> withStandardDescriptors(stdio, command));
        UnixSockets.sendWord(connection, status);
        return status;
    }

    /** Closes the connection: a client that was not answered takes it as declined and runs the command itself. */
    @Override
    public void close() {
        Arrays.stream(stdio).forEach(Descriptors::close);
        Descriptors.close(connection);
    }

    private static int inWorkingDirectory(Path directory, IntSupplier command) {
        int own = Descriptors.open(".", O_PATH() | O_DIRECTORY());
        try {
            int client = Descriptors.open(directory.toString(), O_PATH() | O_DIRECTORY());
            try {
                Descriptors.changeDirectory(client);
            } finally {
                Descriptors.close(client);
            }
            try {
                return command.getAsInt();
            } finally {
                Descriptors.changeDirectory(own);
            }
        } finally {
            Descriptors.close(own);
        }
    }

    private static int withStandardDescriptors(int[] stdio, IntSupplier command) {
        int[] own = new int[STANDARD_DESCRIPTORS];
        for (int fd = 0; fd < STANDARD_DESCRIPTORS; fd++) {
            own[fd] = Descriptors.fcntl(fd, F_DUPFD_CLOEXEC(), FIRST_SPARE_DESCRIPTOR);
        }
        try {
            for (int fd = 0; fd < STANDARD_DESCRIPTORS; fd++) {
                Descriptors.duplicateTo(stdio[fd], fd);
            }
            try {
                return command.getAsInt();
            } finally {
                System.out.flush();
                System.err.flush();
            }
        } finally {
            for (int fd = 0; fd < STANDARD_DESCRIPTORS; fd++) {
                Descriptors.duplicateTo(own[fd], fd);
                Descriptors.close(own[fd]);
            }
        }
    }
}
