package dev.jrun.oci;

import dev.jrun.ContainerProcess;
import dev.jrun.ExitStatus;
import dev.jrun.Foreground;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An OCI runtime over one state root: the operations of the OCI runtime
 * command line ({@code create}, {@code start}, {@code state}, {@code kill},
 * {@code delete}) and the ones engines use from runc ({@code run},
 * {@code exec}, {@code list}, {@code ps}, {@code pause}, {@code resume}).
 * Each operation on a container holds its lock, so operations on one
 * container never interleave, from this process or another.
 *
 * <pre>{@code
 * OciRuntime runtime = new OciRuntime(Path.of("/run/jrun"));
 * runtime.create("web", CreateOptions.of(Path.of("/srv/bundles/web")));
 * runtime.start("web");
 * State state = runtime.state("web");
 * }</pre>
 *
 * <p>Nothing here prints: warnings (a failing poststop hook) go to the
 * consumer given, errors are exceptions whose message says what failed.
 * An operation on an ID with no container throws {@link ContainerNotFoundException}, one the
 * container's status does not allow {@link ContainerStateException}, a refused configuration
 * {@link InvalidConfigException}, and a failed system call {@link dev.jrun.SystemCallException}.
 */
public final class OciRuntime {

    private final StateStore store;
    private final Freezer freezer;
    private final Consumer<String> warnings;

    /**
     * @param root     the state root, one directory per container
     * @param freezer  what pauses and resumes containers
     * @param warnings where warnings go
     */
    public OciRuntime(Path root, Freezer freezer, Consumer<String> warnings) {
        this.store = new StateStore(root);
        this.freezer = freezer;
        this.warnings = warnings;
    }

    /** A runtime on {@code root} that pauses containers with the cgroup freezer and drops warnings. */
    public OciRuntime(Path root) {
        this(root, Freezer.CGROUP, warning -> { });
    }

    /**
     * Creates a container from a bundle: set up, its command not yet started. It outlives this
     * process; its first process is this process's child until this process ends.
     *
     * @return its state, {@code created}
     * @throws InvalidConfigException if the bundle's configuration is refused
     * @throws IllegalStateException  if the ID is taken, or a hook failed
     */
    public State create(String id, CreateOptions options) {
        CreateContainer.Created created = new CreateContainer(store).create(id, options, false);
        created.process().detach();
        return created.record().state(Status.CREATED);
    }

    /**
     * Starts a created container's command.
     *
     * @throws ContainerStateException if it is not {@code created}
     */
    public void start(String id) {
        new StartContainer(store, freezer).start(id);
    }

    /**
     * Creates and starts a container, then (unless {@code detach}) follows it in the foreground
     * until it ends, relaying signals and, with a terminal and no console socket, joining this
     * process's terminal to it; then deletes it. Following takes over this process's signal
     * handlers, as {@link Foreground} does: it is meant for a command line run with {@code -Xrs}.
     *
     * @return how the container's first process ended; exit code 0 when detached
     */
    public ExitStatus run(String id, CreateOptions options, boolean detach) {
        boolean attachable = !detach && options.consoleSocket().isEmpty();
        if (!detach) {
            Foreground.takeSignals(false);
        }
        CreateContainer.Created created = new CreateContainer(store).create(id, options, attachable);
        ContainerProcess process = created.process();
        try {
            start(id);
        } catch (RuntimeException e) {
            process.close();
            deleteAfterFailure(id, e);
            throw e;
        }
        if (detach) {
            process.detach();
            return ExitStatus.exited(0);
        }
        ExitStatus status;
        try {
            status = Foreground.follow(process);
        } catch (RuntimeException e) {
            process.close();
            deleteAfterFailure(id, e);
            throw e;
        }
        process.close();
        delete(id, true);
        return status;
    }

    /**
     * {@return the container's OCI state} While it is being created (and has no PID yet, as far as
     * the state root knows), its status is {@code creating} and its PID 0. This never waits for
     * another operation on the container: a hook may ask while its operation runs.
     */
    public State state(String id) {
        try (ContainerDirectory directory = store.read(id)) {
            return stateOf(directory);
        }
    }

    /** {@return every container's state and creation time (empty while being created), by ID} */
    public List<ContainerSummary> list() {
        List<ContainerSummary> containers = new ArrayList<>();
        for (String id : store.ids()) {
            try (ContainerDirectory directory = store.read(id)) {
                containers.add(new ContainerSummary(stateOf(directory),
                        directory.findRecord().map(ContainerRecord::created).orElse("")));
            } catch (ContainerNotFoundException e) {
                // Deleted since it was listed.
            }
        }
        return containers;
    }

    private State stateOf(ContainerDirectory directory) {
        return directory.findRecord()
                .map(record -> record.state(ContainerStatus.of(directory, record, freezer)))
                .orElseGet(() -> new State(State.OCI_VERSION, directory.id(), Status.CREATING, 0, "", null));
    }

    /**
     * Sends a signal to the container's first process, or with {@code all} to each of its processes.
     *
     * @throws ContainerStateException if the container is stopped
     */
    public void kill(String id, int signal, boolean all) {
        new KillContainer(store, freezer).kill(id, signal, all);
    }

    /**
     * Deletes a stopped container, or with {@code force} a live one after killing it, then runs its
     * poststop hooks (a failing one is a warning).
     *
     * @throws ContainerStateException if it is not stopped and {@code force} is not given
     */
    public void delete(String id, boolean force) {
        new DeleteContainer(store, freezer).delete(id, force).forEach(warnings);
    }

    /**
     * Runs a process in a running container. Detached, it returns once the process runs;
     * otherwise it follows the process in the foreground, as {@link #run} does (taking over this
     * process's signal handlers).
     *
     * @return how the process ended; exit code 0 when detached
     */
    public ExitStatus exec(String id, ExecRequest request) {
        boolean attachable = !request.detach() && request.consoleSocket().isEmpty();
        if (!request.detach()) {
            Foreground.takeSignals(false);
        }
        ContainerProcess process = new ExecInContainer(store, freezer).exec(id, request, attachable);
        if (request.detach()) {
            process.detach();
            return ExitStatus.exited(0);
        }
        try {
            return Foreground.follow(process);
        } finally {
            process.close();
        }
    }

    /**
     * {@return the container's processes, its first process first}
     *
     * @throws ContainerStateException if the container is stopped
     */
    public List<ProcessEntry> processes(String id) {
        try (ContainerDirectory directory = store.open(id)) {
            ContainerRecord record = directory.record();
            if (ContainerStatus.of(directory, record, freezer) == Status.STOPPED) {
                throw ContainerStateException.cannot("list the processes of", id, Status.STOPPED, "it is stopped");
            }
            return ContainerProcesses.of(record).stream()
                    .map(pid -> new ProcessEntry(pid, ContainerProcesses.commandLine(pid)))
                    .toList();
        }
    }

    /**
     * Freezes every process of a running container.
     *
     * @throws ContainerStateException if it is not running
     * @throws UnsupportedOperationException if this runtime has no freezer
     */
    public void pause(String id) {
        changeFreezing(id, Status.RUNNING, "pause", freezer::freeze);
    }

    /**
     * Thaws a paused container.
     *
     * @throws ContainerStateException if it is not paused
     */
    public void resume(String id) {
        changeFreezing(id, Status.PAUSED, "resume", freezer::thaw);
    }

    private void changeFreezing(String id, Status required, String operation, Consumer<ContainerRecord> change) {
        try (ContainerDirectory directory = store.open(id)) {
            ContainerRecord record = directory.record();
            Status status = ContainerStatus.of(directory, record, freezer);
            if (status != required) {
                throw ContainerStateException.cannot(operation, id, status,
                        "it is " + status.ociName() + ", not " + required.ociName());
            }
            change.accept(record);
        }
    }

    private void deleteAfterFailure(String id, RuntimeException failure) {
        try {
            delete(id, true);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * A container as {@code list} shows it.
     *
     * @param state   its OCI state
     * @param created when it was created, ISO-8601
     */
    public record ContainerSummary(State state, String created) {
    }

    /**
     * A process of a container.
     *
     * @param pid         its PID, as the host sees it
     * @param commandLine its command line, arguments separated by spaces
     */
    public record ProcessEntry(int pid, String commandLine) {
    }

    /** {@return the state root} */
    public Path root() {
        return store.root();
    }
}
