package dev.jrun.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The options of {@code create}, {@code run} and {@code exec} about the process started, as runc spells them. */
final class LaunchOptions {

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process's PID to FILE.")
    private Path pidFile;

    @Option(names = "--console-socket", paramLabel = "PATH",
            description = "Send the terminal's controlling side to the Unix socket PATH (a process with a terminal).")
    private Path consoleSocket;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "Pass descriptors 3 to 3+N-1 on to the process.")
    private int preserveFds;

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
