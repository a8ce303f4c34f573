package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.StartGate;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.ProcStat;
import dev.jrun.model.SystemCallException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The start operation: runs the startContainer hooks in the container, under
 * its seccomp filter as runc runs them, opens
 * its exec FIFO so it executes its command, and runs the poststart hooks. If
 * a hook fails, or the command cannot be executed, the container is stopped.
 */
final class StartContainer {

    private final StateStore store;
    private final Freezer freezer;

    StartContainer(StateStore store, Freezer freezer) {
        this.store = store;
        this.freezer = freezer;
    }

    /**
     * Starts the container's command.
     *
     * @throws ContainerStateException if the container is not created
     * @throws IllegalStateException    if a hook failed
     * @throws SystemCallException      if the command could not be executed
     */
    void start(String id) {
        try (ContainerDirectory directory = store.open(id)) {
            ContainerRecord record = directory.record();
            Status status = ContainerStatus.of(directory, record, freezer);
            if (status != Status.CREATED) {
                throw ContainerStateException.cannot("start", id, status, "it is " + status.ociName()
                        + (status == Status.STOPPED ? "" : ", started already"));
            }
            Spec spec = directory.config().orElseThrow(() -> new IllegalStateException(
                    "container \"" + id + "\" has lost its configuration"));
            HookRunner hooks = new HookRunner(Optional.ofNullable(spec.hooks()));
            try {
                State created = record.state(Status.CREATED).with(Status.CREATED, ProcStat.pidInItsNamespace(record.pid()));
                hooks.runInContainer(HookRunner.Kind.START_CONTAINER, created, record.pid(), record.openCgroup(),
                        asTheContainersProcess(spec, created, directory.path()));
                openGate(directory, record, spec.process().args());
                hooks.run(HookRunner.Kind.POSTSTART, record.state(Status.RUNNING));
            } catch (RuntimeException e) {
                KillContainer.signalFirstProcess(record.resources(), Libc.SIGKILL()).ifPresent(Descriptors::close);
                throw e;
            } finally {
                directory.removeExecFifo();
            }
        }
    }

    /**
     * {@return what a startContainer hook's process gets: runc runs these hooks in the container's init
     * once it has loaded the seccomp filter with the process's no_new_privs, so a hook runs under the
     * filter too (its agent, if the profile notifies one, gets a listener of the hook's own, as for exec)}
     */
    private static UnaryOperator<Container.Builder> asTheContainersProcess(Spec spec, State state, Path directory) {
        return builder -> {
            Problems problems = new Problems();
            SeccompMapping.apply(spec.linux() == null ? null : spec.linux().seccomp(), "linux.seccomp", builder, problems);
            problems.throwIfAny(directory.resolve("config.json"));
            builder.noNewPrivileges(spec.process() != null && Boolean.TRUE.equals(spec.process().noNewPrivileges()));
            SeccompAgentSocket.of(spec).ifPresent(agent -> builder.seccompAgent(agent.sendingState(pid -> state)));
            return builder;
        };
    }

    private static void openGate(ContainerDirectory directory, ContainerRecord record, List<String> args) {
        try {
            StartGate.open(directory.execFifo(), record.pid());
        } catch (SystemCallException e) {
            throw SystemCallException.ofCommandExec("execve " + args.getFirst(), e.errno());
        }
    }
}
