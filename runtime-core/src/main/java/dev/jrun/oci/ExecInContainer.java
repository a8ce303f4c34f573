package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.internal.cgroup.CgroupDriver;
import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.internal.plan.HostFacts;
import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The exec operation: a new process in a running container, in all its
 * namespaces and its cgroup, on its filesystem as it is, under its seccomp
 * filter. The process is this JVM's child; the caller follows it or detaches it.
 */
final class ExecInContainer {

    private static final Path COMMAND_LINE = Path.of("exec options");

    private final StateStore store;
    private final Freezer freezer;
    private final ConfigNotes notes;

    ExecInContainer(StateStore store, Freezer freezer, ConfigNotes notes) {
        this.store = store;
        this.freezer = freezer;
        this.notes = notes;
    }

    /**
     * Starts the process; {@return the handle on it}
     *
     * @param attachable whether the caller attaches to the process's terminal itself
     * @throws ContainerStateException if the container does not run
     * @throws InvalidConfigException if the process is refused
     */
    ContainerProcess exec(String id, ExecRequest request, boolean attachable) {
        if (request.ignorePaused()) {
            // The process joins a frozen cgroup and stops as it starts: the lock must not keep resume out meanwhile.
            Container container;
            try (ContainerDirectory directory = store.open(id)) {
                container = prepare(directory, id, request, attachable);
            }
            return start(container, request);
        }
        try (ContainerDirectory directory = store.open(id)) {
            return start(prepare(directory, id, request, attachable), request);
        }
    }

    /** {@return the process to start in the container, once its status allows it} */
    private Container prepare(ContainerDirectory directory, String id, ExecRequest request, boolean attachable) {
        ContainerRecord record = directory.record();
        Status status = ContainerStatus.of(directory, record, freezer);
        boolean allowed = status == Status.RUNNING || status == Status.CREATED
                || status == Status.PAUSED && request.ignorePaused();
        if (!allowed) {
            // runc's words for a paused one, which its tests and users look for.
            throw ContainerStateException.cannot("exec in", id, status, status == Status.PAUSED
                    ? "it is paused (cannot exec in a paused container until it is resumed, or use --ignore-paused)"
                    : "it is " + status.ociName());
        }
        Spec config = directory.config().orElseThrow(() -> new IllegalStateException("container \"" + id
                + "\" has lost its configuration"));
        Spec.Process process = withAdditions(request, request.processFile().isPresent()
                ? readProcess(request.processFile().get())
                : fromOptions(request, config.process()));
        boolean tty = Boolean.TRUE.equals(process.terminal());
        TerminalDestination.require(tty, request.consoleSocket(), attachable, request.processFile().isPresent()
                ? "process.terminal" : "-t");
        Container.Builder builder = ConfigMapper.mapExec(process, record.pid(), config,
                request.processFile().orElse(COMMAND_LINE), HostFacts.probe().securityModules(), notes);
        cgroup(id, record, request).ifPresent(builder::joinCgroup);
        // As runc: the exec'd process gets a listener of its own, sent with the container's state.
        SeccompAgentSocket.of(config).ifPresent(agent ->
                builder.seccompAgent(agent.sendingState(pid -> record.state(Status.RUNNING))));
        return builder.preservedFds(request.preservedFds()).build();
    }

    /** {@return the container's cgroup, or the sub-cgroup of it the request names} */
    private static Optional<Cgroup> cgroup(String id, ContainerRecord record, ExecRequest request) {
        Optional<Cgroup> cgroup = record.openCgroup();
        if (request.subCgroups().isEmpty()) {
            return cgroup;
        }
        CgroupDriver driver = CgroupHost.probe().driver();
        List<Path> directories = cgroup.orElseThrow(() -> new IllegalArgumentException("container \"" + id
                + "\" has no cgroup to run a process in a sub-cgroup of")).directories();
        return Optional.of(driver.open(driver.subCgroup(directories, request.subCgroups())));
    }

    private static ContainerProcess start(Container container, ExecRequest request) {
        ContainerProcess started = container.start();
        try {
            started.terminal().ifPresent(terminal -> request.consoleSocket().ifPresent(terminal::sendTo));
            request.pidFile().ifPresent(file -> PidFile.write(file, started.pid()));
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    private static Spec.Process readProcess(Path file) {
        try {
            return OciJson.read(Files.readAllBytes(file), Spec.Process.class, file);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** The container's own process (its scheduling and I/O priority too, as runc's), with what the exec options change. */
    private static Spec.Process fromOptions(ExecRequest request, Spec.Process base) {
        List<String> env = new ArrayList<>(base == null || base.env() == null ? List.of() : base.env());
        env.addAll(request.env());
        String cwd = request.cwd().orElse(base == null ? "/" : base.cwd());
        Spec.User user = request.user().map(ExecInContainer::user).orElse(base == null ? null : base.user());
        return base == null
                ? new Spec.Process(request.tty(), null, user, request.args(), null, env, cwd,
                        null, null, null, null, null, null, null, null, null)
                : new Spec.Process(request.tty(), null, user, request.args(), null, env, cwd,
                        base.capabilities(), base.rlimits(), base.noNewPrivileges(), base.apparmorProfile(), null,
                        base.selinuxLabel(), base.scheduler(), base.ioPriority(), null);
    }

    /** The capabilities and groups the request adds, to a process file's process as to the container's. */
    private static Spec.Process withAdditions(ExecRequest request, Spec.Process process) {
        if (request.addedCapabilities().isEmpty() && request.additionalGids().isEmpty()) {
            return process;
        }
        Spec.Capabilities capabilities = process.capabilities() == null
                ? new Spec.Capabilities(null, null, null, null, null) : process.capabilities();
        List<String> added = request.addedCapabilities().stream()
                .map(name -> name.startsWith("CAP_") ? name : "CAP_" + name).toList();
        // Inheritable and ambient too, so that a process that is not root keeps them across execve.
        Spec.Capabilities withAdded = new Spec.Capabilities(plus(capabilities.bounding(), added),
                plus(capabilities.effective(), added), plus(capabilities.inheritable(), added),
                plus(capabilities.permitted(), added), plus(capabilities.ambient(), added));
        Spec.User user = process.user() == null ? new Spec.User(0L, 0L, null, null, null) : process.user();
        Spec.User withGroups = new Spec.User(user.uid(), user.gid(), user.umask(),
                plus(user.additionalGids(), request.additionalGids()), user.username());
        return new Spec.Process(process.terminal(), process.consoleSize(), withGroups, process.args(),
                process.commandLine(), process.env(), process.cwd(), added.isEmpty() ? process.capabilities() : withAdded,
                process.rlimits(), process.noNewPrivileges(), process.apparmorProfile(), process.oomScoreAdj(),
                process.selinuxLabel(), process.scheduler(), process.ioPriority(), process.execCPUAffinity());
    }

    private static <T> List<T> plus(List<T> list, List<T> more) {
        List<T> all = new ArrayList<>(list == null ? List.of() : list);
        more.stream().filter(item -> !all.contains(item)).forEach(all::add);
        return all;
    }

    /** Parses {@code UID[:GID]}. */
    private static Spec.User user(String spec) {
        String[] parts = spec.split(":", -1);
        try {
            if (parts.length > 2) {
                throw new NumberFormatException();
            }
            long uid = Long.parseLong(parts[0]);
            long gid = parts.length == 2 ? Long.parseLong(parts[1]) : 0;
            return new Spec.User(uid, gid, null, null, null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid user \"" + spec + "\": use UID or UID:GID, as numbers");
        }
    }
}
