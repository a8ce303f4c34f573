package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.ContainerRoot;
import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.internal.plan.HostFacts;
import dev.jrun.internal.sys.ProcStat;
import dev.jrun.internal.sys.Terminals;
import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.Stdio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The create operation: the container set up completely (namespaces, mounts,
 * devices, its prestart, createRuntime and createContainer hooks run), its
 * first process waiting at the exec FIFO for start, in its cgroup, which the
 * container's record keeps. A failure at any step leaves nothing behind: no
 * process, no cgroup, no state directory, no pid file. What the container
 * holds on the host is recorded before it is used ({@link HeldResources}), so
 * delete cleans up after a create that was killed at any point.
 */
final class CreateContainer {

    /** A created container and the handle on its first process, which the caller detaches or follows. */
    record Created(ContainerRecord record, ContainerProcess process) {
    }

    private final StateStore store;
    private final ConfigNotes notes;

    CreateContainer(StateStore store, ConfigNotes notes) {
        this.store = store;
        this.notes = notes;
    }

    /**
     * Creates the container.
     *
     * @param attachable whether the caller will attach to the container's terminal itself (a
     *                   foreground {@code run}), so that no console socket is needed
     * @throws InvalidConfigException if the configuration is refused
     * @throws IllegalStateException  if the ID is taken, or a hook failed
     * @throws CommandNotExecutableException if the command is not in the container's root, or may not be executed
     */
    Created create(String id, CreateOptions options, boolean attachable) {
        StateStore.requireValidId(id);
        Path configFile = options.bundle().resolve("config.json");
        byte[] config = readConfig(configFile);
        Spec spec = OciJson.read(config, Spec.class, configFile);
        Container.Builder builder = ConfigMapper.map(spec, options.bundle(), configFile,
                HostFacts.probe().securityModules(), notes);
        TerminalDestination.require(Boolean.TRUE.equals(spec.process().terminal()), options.consoleSocket(), attachable,
                "process.terminal");
        // Joined to the caller's terminal, the container's starts at its size, as runc sizes its console;
        // otherwise at process.consoleSize's, which the mapper set.
        Optional<Terminals.Size> callerSize = attachable && Boolean.TRUE.equals(spec.process().terminal())
                ? Terminals.callerSize() : Optional.empty();
        callerSize.ifPresent(size -> builder.terminalSize(size.columns(), size.rows()));
        Definition definition = new Definition(builder, options.bundle().toString(),
                ConfigMapper.rootDirectory(options.bundle(), spec.root()), spec.annotations(), cgroupsPath(spec, id), new HookRunner(Optional.ofNullable(spec.hooks())), options.pidFile(),
                options.consoleSocket(), SeccompAgentSocket.of(spec), (directory, launched) -> directory.saveConfig(config));
        builder.preservedFds(options.preservedFds());
        return create(id, definition);
    }

    /**
     * Creates a container of an image: {@code builder} describes it, on {@code root}, which is kept
     * as long as the container (and removed by delete). Its state directory keeps the
     * configuration exec needs ({@link ExecConfig}); detached, its stdout and stderr go to a file
     * there, and its network's helper outlives this process.
     *
     * @throws IllegalStateException if the ID is taken
     * @throws CommandNotExecutableException if the command is not in the image, or may not be executed
     */
    Created create(String id, ContainerRoot root, Container.Builder builder, boolean detached) {
        StateStore.requireValidId(id);
        builder.dieWithParent(false);
        Definition definition = new Definition(builder, root.directory().toString(), root.path(), Map.of(), id,
                new HookRunner(Optional.empty()), Optional.empty(), Optional.empty(), Optional.empty(), new Preparation() {
                    @Override
                    public void beforeLaunch(ContainerDirectory directory, Container.Builder launched) {
                        directory.saveImageResources(ImageResources.rootOnly(root.directory().toString()));
                        root.keepWhileExists(directory.path());
                        if (detached) {
                            launched.stdin(Stdio.DISCARD).outputFile(directory.createOutputFile());
                        }
                    }

                    @Override
                    public void launched(ContainerDirectory directory, Container container, ContainerProcess process) {
                        directory.saveConfig(OciJson.write(ExecConfig.of(container, root.path()))
                                .getBytes(StandardCharsets.UTF_8));
                        process.networkHelperPid().ifPresent(helper -> ProcStat.of(helper).ifPresent(stat ->
                                directory.saveImageResources(ImageResources.rootOnly(root.directory().toString())
                                        .withHelper(helper, stat.startTime()))));
                    }
                });
        return create(id, definition);
    }

    /** What a container is made of, from a bundle or a builder; {@code root} is its root directory. */
    private record Definition(Container.Builder builder, String bundle, Path root, Map<String, String> annotations,
                              String cgroupsPath, HookRunner hooks, Optional<Path> pidFile,
                              Optional<Path> consoleSocket, Optional<SeccompAgentSocket> seccompAgent,
                              Preparation preparation) {
    }

    /** What the source of a container adds to its state directory, before and after its launch. */
    private interface Preparation {

        /** Records what the launch will use, before it does; may change the builder. */
        void beforeLaunch(ContainerDirectory directory, Container.Builder builder);

        /** Records what the launch made, before the container is kept; nothing by default. */
        default void launched(ContainerDirectory directory, Container container, ContainerProcess process) {
        }
    }

    private Created create(String id, Definition definition) {
        Container.Builder builder = definition.builder();
        HookRunner hooks = definition.hooks();
        State creating = new State(State.OCI_VERSION, id, Status.CREATING, 0, definition.bundle(),
                definition.annotations());
        definition.seccompAgent().ifPresent(agent ->
                builder.seccompAgent(agent.sendingState(pid -> creating.with(Status.CREATING, pid))));
        builder.cgroupPath(definition.cgroupsPath());
        try (ContainerDirectory directory = store.create(id)) {
            definition.preparation().beforeLaunch(directory, builder);
            HeldResources resources = HeldResources.cgroupOnly(plannedCgroup(definition.cgroupsPath()));
            directory.saveResources(resources);
            builder.startGate(directory.createExecFifo())
                    .beforeSetup(pid -> directory.saveResources(withFirstProcess(resources, pid)))
                    .beforeSetup(pid -> {
                        hooks.run(HookRunner.Kind.PRESTART, creating.with(Status.CREATING, pid));
                        hooks.run(HookRunner.Kind.CREATE_RUNTIME, creating.with(Status.CREATING, pid));
                    });
            if (hooks.has(HookRunner.Kind.CREATE_CONTAINER)) {
                // In the container's namespaces and cgroup, its root assembled and not entered yet, as runc runs them.
                builder.beforePivotRoot(pid -> hooks.runBeforePivotRoot(
                        creating.with(Status.CREATING, ProcStat.pidInItsNamespace(pid)), pid, resources.openCgroup(),
                        definition.root()));
            }
            Container container = builder.build();
            ContainerProcess process = container.start();
            try {
                int pid = process.pid();
                HeldResources held = withFirstProcess(resources, pid);
                List<String> cgroup = process.cgroup().map(Cgroup::directories).orElse(List.of()).stream()
                        .map(Path::toString).toList();
                ContainerRecord record = new ContainerRecord(id, creating.bundle(), pid, held.startTime(),
                        Instant.now().toString(), definition.annotations(), cgroup, held.ownPidNamespace());
                definition.preparation().launched(directory, container, process);
                // After the hooks, which may put the command in place, as runc looks for it.
                CommandLookup.require(container, pid);
                process.terminal().ifPresent(terminal -> definition.consoleSocket().ifPresent(terminal::sendTo));
                directory.save(record);
                definition.pidFile().ifPresent(file -> PidFile.write(file, pid));
                directory.keep();
                return new Created(record, process);
            } catch (RuntimeException e) {
                process.close();
                throw e;
            }
        }
    }

    /**
     * The container's cgroup path: the configuration's, or, as runc names it, the container's ID
     * below jrun's own cgroup (an ID is a valid single name: it is the state directory's).
     */
    private static String cgroupsPath(Spec spec, String id) {
        String configured = spec.linux() == null ? null : spec.linux().cgroupsPath();
        return configured == null || configured.isEmpty() ? id : configured;
    }

    /**
     * {@return the directories the container's cgroup will have, none when this process cannot give
     * it one} A cgroup made ahead is the container's, as with runc; one with processes in it is
     * shared, with runc's warning (delete and kill then reach only what is the container's:
     * {@link HeldResources#signalsWholeCgroup()}); a frozen one is refused here, before it is recorded.
     *
     * @throws IllegalArgumentException if a directory of the cgroup exists and is frozen
     */
    private List<String> plannedCgroup(String cgroupsPath) {
        CgroupHost host = CgroupHost.probe();
        if (host.unavailableReason().isPresent()) {
            return List.of();
        }
        List<Path> directories = host.driver().directories(cgroupsPath);
        host.driver().requireUsable(directories);
        int processes = host.driver().processesIn(directories).size();
        if (processes > 0) {
            notes.warnings().accept("container's cgroup is not empty: " + processes + " process(es) found");
        }
        return directories.stream().map(Path::toString).toList();
    }

    /** {@return the resources with the container's first process, which exists now} */
    private static HeldResources withFirstProcess(HeldResources resources, int pid) {
        long startTime = ProcStat.of(pid).orElseThrow(() -> new IllegalStateException(
                "the container's first process ended while it was created")).startTime();
        // PID 1 in its namespace: the init of one of its own, not one joined.
        return resources.withProcess(pid, startTime, ProcStat.pidInItsNamespace(pid) == 1);
    }

    private static byte[] readConfig(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("the bundle " + file.getParent() + " has no config.json"
                    + (Files.isDirectory(file.getParent()) ? "" : ": the directory does not exist"));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }
}
