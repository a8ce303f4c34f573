package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.ContainerRoot;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.ResourceStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An OCI runtime over one state root: the operations of the OCI runtime
 * command line ({@code create}, {@code start}, {@code state}, {@code kill},
 * {@code delete}) and the ones engines use from runc ({@code run},
 * {@code exec}, {@code list}, {@code ps}, {@code pause}, {@code resume}, {@code update} and the
 * statistics {@code events} reports).
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
 * {@link InvalidConfigException}, and a failed system call {@link dev.jrun.model.SystemCallException}.
 */
public final class OciRuntime {

    private final StateStore store;
    private final Freezer freezer;
    private final Consumer<String> warnings;
    private final ConfigNotes notes;

    /**
     * @param root     the state root, one directory per container
     * @param freezer  what pauses and resumes containers
     * @param warnings where warnings go
     * @param debug    where debug lines go (a configuration's field left out on this host, as runc does)
     */
    public OciRuntime(Path root, Freezer freezer, Consumer<String> warnings, Consumer<String> debug) {
        this.store = new StateStore(root);
        this.freezer = freezer;
        this.warnings = warnings;
        this.notes = new ConfigNotes(warnings, debug);
    }

    /** A runtime on {@code root} whose debug lines are dropped. */
    public OciRuntime(Path root, Freezer freezer, Consumer<String> warnings) {
        this(root, freezer, warnings, message -> { });
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
        CreateContainer.Created created = new CreateContainer(store, notes).create(id, options, false);
        debugCreated(id, options, created.process());
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
        notes.debug().accept("container " + id + ": started");
    }

    /**
     * Creates and starts a container, then (unless {@code detach}) waits for its first process to end
     * and deletes it. This process's signal handlers and terminal are left alone, so a config.json
     * asking for a terminal needs a console socket; {@link #run(String, CreateOptions, Function)}
     * follows the container as a shell follows a command.
     *
     * @return how the container's first process ended; exit code 0 when detached
     */
    public ExitStatus run(String id, CreateOptions options, boolean detach) {
        if (detach) {
            createAndStart(id, options, false).detach();
            return ExitStatus.exited(0);
        }
        return followAndDelete(id, createAndStart(id, options, false), ContainerProcess::waitFor, AfterExit.DELETE);
    }

    /**
     * Creates and starts a container, lets {@code follow} follow its first process until it ends,
     * then deletes it. Without a console socket, {@code follow} is given the container's terminal,
     * when config.json asks for one, to join to its own. {@link dev.jrun.Foreground#follow} relays
     * this process's signals and joins its terminal, as {@code jrun run -b} does: the caller opts in
     * to that, and calls {@link dev.jrun.Foreground#takeSignals} first so that a signal sent while
     * the container starts is kept for it.
     *
     * @param follow waits for the process to end and returns how it ended; it does not close it
     * @return how the container's first process ended
     */
    public ExitStatus run(String id, CreateOptions options, Function<ContainerProcess, ExitStatus> follow) {
        return run(id, options, AfterExit.DELETE, follow);
    }

    /**
     * Runs a container as {@link #run(String, CreateOptions, Function)} does, then deletes it or, with
     * {@link AfterExit#KEEP} ({@code run --keep}), keeps it stopped, with its state and cgroup, for
     * {@code state}, {@code events --stats} and {@code delete}.
     */
    public ExitStatus run(String id, CreateOptions options, AfterExit afterExit,
                          Function<ContainerProcess, ExitStatus> follow) {
        boolean attachable = options.consoleSocket().isEmpty();
        return followAndDelete(id, createAndStart(id, options, attachable), follow, afterExit);
    }

    /** What {@code run} does with a container whose first process it followed to its end. */
    public enum AfterExit {
        /** Deletes it, as {@code runc run} does. */
        DELETE,
        /** Keeps it, stopped, as {@code runc run --keep} does. */
        KEEP
    }

    /**
     * Creates and starts a container of an image, which {@code builder} describes on {@code root}
     * ({@link ContainerRoot#builder}), and returns once its command runs. Its stdout and stderr go
     * to a file in its state directory ({@link #output}); the container, its root and its private
     * network's helper stay until {@link #delete} removes them all. This takes over {@code root}: it
     * is removed when the container is, or at once when the container cannot be created. The
     * builder gives it no terminal: nothing would hold one once this process ends.
     *
     * @return its state, {@code running}
     * @throws IllegalStateException if the ID is taken
     * @throws CommandNotExecutableException if the command is not in the image, or may not be executed
     */
    public State runDetached(String id, ContainerRoot root, Container.Builder builder) {
        ContainerProcess process = createAndStart(id, () -> createFromImage(id, root, builder, true));
        process.detach();
        return state(id);
    }

    /**
     * Creates and starts a container of an image as {@link #runDetached} does, but with the
     * standard streams {@code builder} gives it, lets {@code follow} follow its first process until
     * it ends, as {@link #run(String, CreateOptions, Function)} does, then deletes it, root and
     * network's helper included. Until then, other commands reach it by its ID.
     *
     * @param follow waits for the process to end and returns how it ended; it does not close it
     * @return how the container's first process ended
     */
    public ExitStatus run(String id, ContainerRoot root, Container.Builder builder,
                          Function<ContainerProcess, ExitStatus> follow) {
        return run(id, root, builder, AfterExit.DELETE, follow);
    }

    /**
     * Runs a container of an image as {@link #run(String, ContainerRoot, Container.Builder, Function)}
     * does, then deletes it or, with {@link AfterExit#KEEP} ({@code run --keep IMAGE}), keeps it
     * stopped, with its root (and the writes in it), its state and its cgroup, until {@link #delete}
     * removes them all, as it does a detached container's.
     */
    public ExitStatus run(String id, ContainerRoot root, Container.Builder builder, AfterExit afterExit,
                          Function<ContainerProcess, ExitStatus> follow) {
        return followAndDelete(id, createAndStart(id, () -> createFromImage(id, root, builder, false)), follow,
                afterExit);
    }

    /** {@return a new random container ID, 64 hexadecimal digits, as docker gives a container run without a name} */
    public static String generateId() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private ContainerProcess createFromImage(String id, ContainerRoot root, Container.Builder builder, boolean detached) {
        try {
            return new CreateContainer(store, notes).create(id, root, builder, detached).process();
        } catch (RuntimeException e) {
            // Nothing recorded it, or create removed the record: it is this call's to remove.
            try {
                root.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * {@return the file a container run detached from an image writes its stdout and stderr to}
     *
     * @throws ContainerNotFoundException if there is no such container
     * @throws IllegalStateException if the container was not run detached from an image: its output went elsewhere
     */
    public Path output(String id) {
        try (ContainerDirectory directory = store.read(id)) {
            Path file = directory.outputFile();
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("container \"" + id + "\" keeps no output: only a container run"
                        + " detached from an image (run -d IMAGE) writes it to its state directory");
            }
            return file;
        }
    }

    private ContainerProcess createAndStart(String id, CreateOptions options, boolean attachable) {
        return createAndStart(id, () -> {
            ContainerProcess process = new CreateContainer(store, notes).create(id, options, attachable).process();
            debugCreated(id, options, process);
            return process;
        });
    }

    private ContainerProcess createAndStart(String id, Supplier<ContainerProcess> create) {
        ContainerProcess process = create.get();
        try {
            start(id);
        } catch (RuntimeException e) {
            process.close();
            deleteAfterFailure(id, e);
            throw e;
        }
        return process;
    }

    private ExitStatus followAndDelete(String id, ContainerProcess process,
                                       Function<ContainerProcess, ExitStatus> follow, AfterExit afterExit) {
        ExitStatus status;
        try {
            status = follow.apply(process);
            notes.debug().accept("container " + id + ": its process ended: " + status);
        } catch (RuntimeException e) {
            process.close();
            deleteAfterFailure(id, e);
            throw e;
        }
        if (afterExit == AfterExit.KEEP) {
            // Its cgroup stays for events --stats and delete, as with a created container.
            process.detach();
        } else {
            process.close();
            delete(id, true);
        }
        return status;
    }

    private void debugCreated(String id, CreateOptions options, ContainerProcess process) {
        notes.debug().accept("container " + id + ": created from bundle " + options.bundle().toAbsolutePath()
                + ", its process " + process.pid() + " waiting to start");
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
                State state = stateOf(directory);
                String rootfs = directory.config().map(Spec::root)
                        .map(root -> Path.of(state.bundle()).resolve(root.path()).toString()).orElse("");
                containers.add(new ContainerSummary(state,
                        directory.findRecord().map(ContainerRecord::created).orElse(""), rootfs, directory.owner()));
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
        notes.debug().accept("container " + id + ": deleted");
    }

    /**
     * Waits until the container's first process ends, then deletes the container as {@link #delete}
     * does (its root, writable layer, network's helper and cgroup included), as {@code docker run -d
     * --rm} has a container removed once it ends. A container deleted meanwhile, or replaced by
     * another of the same ID, is left alone. Blocks the calling thread for as long as the container
     * runs, holding no lock meanwhile.
     *
     * @throws ContainerStateException if the container is still being created
     */
    public void deleteWhenStopped(String id) {
        new DeleteContainer(store, freezer).deleteWhenStopped(id).forEach(warnings);
        notes.debug().accept("container " + id + ": deleted once stopped");
    }

    /**
     * Runs a process in a running container. Detached, it returns once the process runs; otherwise
     * it waits for the process to end. This process's signal handlers and terminal are left alone,
     * so a process with a terminal needs a console socket;
     * {@link #exec(String, ExecRequest, Function)} follows it as a shell follows a command.
     *
     * @return how the process ended; exit code 0 when detached
     */
    public ExitStatus exec(String id, ExecRequest request) {
        return exec(id, request, false, ContainerProcess::waitFor);
    }

    /**
     * Runs a process in a running container, as {@link #exec(String, ExecRequest)} does, but a process
     * not detached is followed by {@code follow} until it ends, given its terminal (when it has one
     * and no console socket is given) to join to its own; see {@link #run(String, CreateOptions, Function)}.
     *
     * @param follow waits for the process to end and returns how it ended; it does not close it
     * @return how the process ended; exit code 0 when detached
     */
    public ExitStatus exec(String id, ExecRequest request, Function<ContainerProcess, ExitStatus> follow) {
        return exec(id, request, request.consoleSocket().isEmpty(), follow);
    }

    private ExitStatus exec(String id, ExecRequest request, boolean attachable,
                            Function<ContainerProcess, ExitStatus> follow) {
        ContainerProcess process = new ExecInContainer(store, freezer, notes).exec(id, request, attachable && !request.detach());
        if (request.detach()) {
            process.detach();
            return ExitStatus.exited(0);
        }
        try {
            return follow.apply(process);
        } finally {
            process.close();
        }
    }

    /** {@return the container's processes, its first process first; none once it is stopped, as runc lists them} */
    public List<ProcessEntry> processes(String id) {
        try (ContainerDirectory directory = store.open(id)) {
            ContainerRecord record = directory.record();
            if (ContainerStatus.of(directory, record, freezer) == Status.STOPPED) {
                return List.of();
            }
            return ContainerProcesses.of(record).stream()
                    .map(pid -> new ProcessEntry(pid, ContainerProcesses.commandLine(pid)))
                    .toList();
        }
    }

    /**
     * Changes the cgroup limits of a live container ({@code runc update}): the fields of
     * {@code resources}, a {@code linux.resources} object as in config.json, replace the container's;
     * those it leaves out stay. Lifting the memory limit (-1) without naming {@code memory.swap}
     * lifts that too, as runc does.
     *
     * @param source where {@code resources} comes from, for messages
     * @throws InvalidConfigException if the result is refused, at its JSON path
     * @throws ContainerStateException if the container is stopped
     */
    public void update(String id, byte[] resources, Path source) {
        new UpdateContainer(store, freezer).update(id, resources, source);
    }

    /**
     * {@return what the container's cgroup has used so far}
     *
     * @throws ContainerStateException if the container is stopped
     * @throws IllegalStateException if it has no cgroup (a rootless container on a host that delegates none)
     */
    public ResourceStats stats(String id) {
        try (ContainerDirectory directory = store.read(id)) {
            ContainerRecord record = directory.record();
            Status status = ContainerStatus.of(directory, record, freezer);
            if (status == Status.STOPPED) {
                throw ContainerStateException.cannot("read the statistics of", id, status, "it is stopped");
            }
            return record.openCgroup().orElseThrow(() -> new IllegalStateException("container \"" + id
                    + "\" has no cgroup")).stats();
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
     * @param rootfs  the absolute path of its root filesystem on the host, empty if its configuration is gone
     * @param owner   the name of the user who owns its state, as runc's list shows it
     */
    public record ContainerSummary(State state, String created, String rootfs, String owner) {
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
