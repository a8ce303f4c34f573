package dev.jrun.oci;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A process to run in a running container ({@code exec}): either a process.json, or the
 * container's own process with the command and the options below changed.
 *
 * @param processFile   a JSON file holding an OCI {@code process}; the fields below but the last four are then unused
 * @param args          the command and its arguments
 * @param env           extra environment variables, {@code NAME=VALUE}
 * @param cwd           the working directory, instead of the container's
 * @param user          {@code UID[:GID]}, instead of the container's user
 * @param tty           whether the process runs on a new pseudo-terminal
 * @param detach        return once the process runs, instead of waiting for it
 * @param pidFile       where to write the process's PID
 * @param consoleSocket a Unix socket to send the terminal's controlling side to
 * @param preservedFds  how many descriptors from 3 on the process inherits
 * @param addedCapabilities capabilities ({@code CAP_NET_ADMIN} or {@code NET_ADMIN}) added to each of the
 *                      process's sets, as {@code runc exec --cap} adds them, with a process file too
 * @param additionalGids supplementary groups added to the process's user
 * @param ignorePaused  run the process in a paused container too, as {@code runc exec --ignore-paused}
 *                      does: it starts frozen and runs once the container is resumed
 * @param subCgroups    an existing sub-cgroup of the container's to run the process in, as
 *                      {@code runc exec --cgroup} names it: a controller ({@code memory}, {@code cpu}...) to a
 *                      path below the container's cgroup in its hierarchy, or {@code ""} to a path below it in
 *                      every hierarchy; none: the container's cgroup
 */
public record ExecRequest(Optional<Path> processFile, List<String> args, List<String> env, Optional<String> cwd,
                          Optional<String> user, boolean tty, boolean detach, Optional<Path> pidFile,
                          Optional<Path> consoleSocket, int preservedFds, List<String> addedCapabilities,
                          List<Long> additionalGids, boolean ignorePaused, Map<String, String> subCgroups) {

    /** A request in the container's own cgroup. */
    public ExecRequest(Optional<Path> processFile, List<String> args, List<String> env, Optional<String> cwd,
                       Optional<String> user, boolean tty, boolean detach, Optional<Path> pidFile,
                       Optional<Path> consoleSocket, int preservedFds, List<String> addedCapabilities,
                       List<Long> additionalGids, boolean ignorePaused) {
        this(processFile, args, env, cwd, user, tty, detach, pidFile, consoleSocket, preservedFds, addedCapabilities,
                additionalGids, ignorePaused, Map.of());
    }

    /** A request refused for a paused container. */
    public ExecRequest(Optional<Path> processFile, List<String> args, List<String> env, Optional<String> cwd,
                       Optional<String> user, boolean tty, boolean detach, Optional<Path> pidFile,
                       Optional<Path> consoleSocket, int preservedFds, List<String> addedCapabilities,
                       List<Long> additionalGids) {
        this(processFile, args, env, cwd, user, tty, detach, pidFile, consoleSocket, preservedFds, addedCapabilities,
                additionalGids, false);
    }

    /** A request that adds no capability or group. */
    public ExecRequest(Optional<Path> processFile, List<String> args, List<String> env, Optional<String> cwd,
                       Optional<String> user, boolean tty, boolean detach, Optional<Path> pidFile,
                       Optional<Path> consoleSocket, int preservedFds) {
        this(processFile, args, env, cwd, user, tty, detach, pidFile, consoleSocket, preservedFds, List.of(), List.of());
    }

    public ExecRequest {
        Objects.requireNonNull(processFile, "processFile");
        args = List.copyOf(args);
        env = List.copyOf(env);
        addedCapabilities = List.copyOf(addedCapabilities);
        additionalGids = List.copyOf(additionalGids);
        subCgroups = Map.copyOf(subCgroups);
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(consoleSocket, "consoleSocket");
        if (processFile.isEmpty() && args.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command, or a process file (-p)");
        }
        if (preservedFds < 0) {
            throw new IllegalArgumentException("--preserve-fds cannot be negative: " + preservedFds);
        }
    }
}
