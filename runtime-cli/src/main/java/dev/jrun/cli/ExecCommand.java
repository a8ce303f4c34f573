package dev.jrun.cli;

import dev.jrun.oci.ExecRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jrun exec [OPTIONS] ID COMMAND [ARG...]}: runs a command in a running
 * container and exits with its exit code (0 at once with {@code -d}).
 */
@Command(name = "exec", description = {
        "Run COMMAND in a running container, in all its namespaces, and exit with its exit code.",
        "Options come before ID; everything after ID is the command."},
        sortOptions = false)
final class ExecCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-t", "--tty"}, description = "Run COMMAND on a new pseudo-terminal.")
    private boolean tty;

    @Option(names = {"-d", "--detach"}, description = "Return once COMMAND runs, instead of waiting for it.")
    private boolean detach;

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", description = "Add an environment variable.")
    private List<String> env = new ArrayList<>();

    @Option(names = "--cwd", paramLabel = "DIR", description = "Start COMMAND in DIR instead of the container's.")
    private String cwd;

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "Run as this user and group.")
    private String user;

    @Option(names = {"-p", "--process"}, paramLabel = "FILE",
            description = "Take the whole process (args, env, cwd, terminal...) from an OCI process.json.")
    private Path processFile;

    @Option(names = "--console-socket", paramLabel = "PATH",
            description = "Send the terminal's controlling side to the Unix socket PATH (with -t).")
    private Path consoleSocket;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "Write the process's PID to FILE.")
    private Path pidFile;

    @Option(names = "--preserve-fds", paramLabel = "N", defaultValue = "0",
            description = "Pass descriptors 3 to 3+N-1 on to the process.")
    private int preserveFds;

    @Parameters(index = "0", paramLabel = "ID", description = "The container's ID.")
    private String id;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
            description = "The command and its arguments (none with -p).")
    private List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        ExecRequest request = new ExecRequest(Optional.ofNullable(processFile), command, env, Optional.ofNullable(cwd),
                Optional.ofNullable(user), tty, detach, Optional.ofNullable(pidFile), Optional.ofNullable(consoleSocket),
                preserveFds);
        return jrun.runtime().exec(id, request).shellCode();
    }
}
