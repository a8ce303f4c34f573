package dev.jrun.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;

/** The options of {@code create}, {@code run} and {@code exec} about the process started, as runc spells them. */
final class LaunchOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process's PID to FILE.")
    private Path pidFile;

    @Option(names = "--console-socket", paramLabel = "PATH",
            description = "Send the terminal's controlling side to the Unix socket PATH (a process with a terminal).")
    private Path consoleSocket;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "Pass descriptors 3 to 3+N-1 on to the process.")
    private int preserveFds;

    /** runc 1.2's flag; refused while parsing, so nothing starts without what the caller waits for. */
    @Option(names = "--pidfd-socket", paramLabel = "PATH",
            description = "runc's: send a pidfd of the process to the Unix socket PATH. Not supported: refused.")
    private void pidfdSocket(Path socket) {
        throw new ParameterException(command.commandLine(), "--pidfd-socket " + socket + ": not supported: jrun"
                + " cannot send a pidfd of the process yet (use --pid-file)");
    }

    Optional<Path> pidFile() {
        return Optional.ofNullable(pidFile);
    }

    Optional<Path> consoleSocket() {
        return Optional.ofNullable(consoleSocket);
    }

    int preserveFds() {
        return preserveFds;
    }
}
