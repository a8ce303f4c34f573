package dev.jrun.cli;

import dev.jrun.oci.CreateOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The options {@code create} and {@code run} share, as runc spells them. */
final class CreateOptionsMixin {

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", defaultValue = ".",
            description = "The bundle: the directory holding config.json (default: the current directory).")
    Path bundle;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the container's PID to FILE.")
    Path pidFile;

    @Option(names = "--console-socket", paramLabel = "PATH",
            description = "Send the terminal's controlling side to the Unix socket PATH (process.terminal).")
    Path consoleSocket;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "Pass descriptors 3 to 3+N-1 on to the container.")
    int preserveFds;

    /** {@return the options for the runtime} */
    CreateOptions toOptions() {
        return new CreateOptions(bundle, Optional.ofNullable(pidFile), Optional.ofNullable(consoleSocket), preserveFds);
    }
}
