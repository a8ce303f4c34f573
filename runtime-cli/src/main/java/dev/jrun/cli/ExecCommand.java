package dev.jrun.cli;

import dev.jrun.Foreground;
import dev.jrun.oci.ExecRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code jrun exec [OPTIONS] ID COMMAND [ARG...]}: runs a command in a running
 * container and exits with its exit code (0 at once with {@code -d}).
 */
@Command(name = "exec", description = {
        "Run COMMAND in a running container, in all its namespaces, and exit with its exit code.",
        "Options come before ID; everything after ID is the command."},
        sortOptions = false)
final class ExecCommand extends ContainerCommand implements FailureExit.Form {

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

    @Option(names = {"-c", "--cap"}, paramLabel = "CAP",
            description = "Add a capability (CAP_NET_ADMIN or NET_ADMIN) to each of the process's sets; repeatable.")
    private List<String> capabilities = new ArrayList<>();

    @Option(names = {"-g", "--additional-gids"}, paramLabel = "GID",
            description = "Add a supplementary group to the process's user; repeatable.")
    private List<Long> additionalGids = new ArrayList<>();

    @Option(names = "--ignore-paused",
            description = "Run COMMAND in a paused container too: it starts once the container is resumed.")
    private boolean ignorePaused;

    @Option(names = "--cgroup", paramLabel = "[CONTROLLER[,CONTROLLER]:]PATH",
            description = {"Run COMMAND in an existing sub-cgroup of the container's: PATH below its cgroup in the",
                    "hierarchies of the CONTROLLERs named (repeatable), or in every hierarchy (alone)."})
    private List<String> cgroups = new ArrayList<>();

    @Mixin
    private LaunchOptions launch;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "0..*",
            description = "The command and its arguments (none with -p).")
    private List<String> command = new ArrayList<>();

    @Override
    public FailureExit failureExit() {
        return FailureExit.OCI_EXEC;
    }

    /**
     * {@return runc's {@code --cgroup} arguments as a map from each controller to its path, {@code ""} for a
     * path without controllers}
     *
     * @throws IllegalArgumentException for an argument with two colons, or a path without controllers beside others
     */
    static Map<String, String> subCgroups(List<String> arguments) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (String argument : arguments) {
            String[] parts = argument.split(":", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("invalid --cgroup argument: " + argument
                        + " (expected [CONTROLLER[,CONTROLLER]:]PATH)");
            }
            if (parts.length == 1) {
                if (arguments.size() != 1) {
                    throw new IllegalArgumentException("invalid --cgroup argument: " + argument
                            + " (missing CONTROLLER: prefix, which a path needs beside another --cgroup)");
                }
                paths.put("", argument);
            } else {
                for (String controller : parts[0].split(",")) {
                    paths.put(controller, parts[1]);
                }
            }
        }
        return paths;
    }

    @Override
    public Integer call() {
        ExecRequest request = new ExecRequest(Optional.ofNullable(processFile), command, env, Optional.ofNullable(cwd),
                Optional.ofNullable(user), tty, detach, launch.pidFile(), launch.consoleSocket(), launch.preserveFds(),
                capabilities, additionalGids, ignorePaused, subCgroups(cgroups));
        if (detach) {
            return jrun.runtime().exec(id(), request).shellCode();
        }
        // Taken before the process starts: a signal sent meanwhile is kept for it.
        Foreground.takeSignals(false);
        return jrun.runtime().exec(id(), request, Foreground::follow).shellCode();
    }
}
