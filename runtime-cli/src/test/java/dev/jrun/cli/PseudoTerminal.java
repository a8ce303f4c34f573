package dev.jrun.cli;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.FdInputStream;
import dev.jrun.internal.sys.Terminals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pseudo-terminal for jrun's own stdin and stdout, as a terminal emulator gives one to a shell:
 * the test chooses its size and reads what jrun writes to it.
 */
final class PseudoTerminal implements AutoCloseable {

    private final FdInputStream master;
    private final Path slave;

    private PseudoTerminal(int master) {
        this.master = new FdInputStream(master);
        this.slave = Path.of(Terminals.name(master));
    }

    /** {@return a new pseudo-terminal of {@code columns} x {@code rows}; 0x0 is one nobody sized} */
    static PseudoTerminal sized(int columns, int rows) {
        int master = Libc.posix_openpt(Libc.O_RDWR() | Libc.O_NOCTTY() | Libc.O_CLOEXEC());
        assertThat(master).as("posix_openpt").isNotNegative();
        PseudoTerminal terminal = new PseudoTerminal(master);
        assertThat(Libc.grantpt(master)).as("grantpt").isZero();
        assertThat(Libc.unlockpt(master)).as("unlockpt").isZero();
        if (columns > 0 || rows > 0) {
            Terminals.resize(master, new Terminals.Size(columns, rows));
        }
        return terminal;
    }

    /**
     * Runs {@code command} with its stdin and stdout on this terminal and its stderr piped, to its
     * end; {@return how it ended, with what it wrote to the terminal as its stdout}
     */
    JrunCli.Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(slave.toFile()).redirectOutput(slave.toFile()).start();
            CompletableFuture<String> written = CompletableFuture.supplyAsync(this::readUntilClosed);
            JrunCli.Result result = JrunCli.finish(process, JrunCli.LIMIT);
            return new JrunCli.Result(result.exitCode(), written.join(), result.stderr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads until the last process with the terminal open closes it: the master then reports EIO. */
    private String readUntilClosed() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try {
            master.transferTo(text);
        } catch (IOException e) {
            // EIO: nobody has the terminal open any more; what came before it is in text.
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        master.close();
    }
}
