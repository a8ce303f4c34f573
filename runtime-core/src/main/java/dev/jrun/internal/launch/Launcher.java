package dev.jrun.internal.launch;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.plan.CompiledLaunch;
import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.stub.StubImage;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Processes.Placement;
import dev.jrun.internal.sys.Processes;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.SeccompAgent;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a container: writes the launch stub into a memfd, spawns it with
 * {@code posix_spawn}, learns the container's PID from it, releases the
 * container at the gate and waits until its {@code execve} succeeded or a step
 * failed (or, for a container with a start gate, until it waits there). Holds
 * no lock: containers start concurrently.
 */
public final class Launcher {

    private static final String STUB_NAME = "jrun-stub";

    private Launcher() {
    }

    /**
     * {@return the running container}
     *
     * @param launch   the compiled container
     * @throws SystemCallException naming the failed step and the errno
     */
    public static ContainerProcess launch(CompiledLaunch launch) {
        ContainerSpec container = launch.spec();
        LaunchPlan plan = launch.plan();
        LaunchProtocol protocol = launch.protocol();
        Optional<NetworkTask> network = NetworkTask.prepare(container);
        Optional<CgroupTask> cgroup = CgroupTask.prepare(container);
        StubImage stub = StubImage.of(plan, protocol.errorFd());
        StdioSetup stdio = StdioSetup.open(container, protocol);
        try (LaunchPipes pipes = new LaunchPipes(protocol)) {
            SetUpReports reports = new SetUpReports(stub, plan, pipes, cgroup);
            int stubPid;
            try {
                stubPid = spawnStub(stub, placements(protocol, stdio, pipes), container.startGate(), protocol);
            } finally {
                pipes.closeStubEnds();
                stdio.closeChildEnds();
            }
            Optional<Integer> containerPid = readPid(pipes.pidReadEnd());
            ExitStatus stubStatus = Processes.waitForPid(stubPid);
            if (containerPid.isEmpty()) {
                reports.awaitCommand();
                throw new IllegalStateException("launch stub ended (" + stubStatus + ") without starting the container");
            }
            int pidfd = Processes.pidfdOpen(containerPid.get());
            List<GateTask> done = new ArrayList<>();
            int terminal = -1;
            try {
                for (GateTask task : gateTasks(launch, cgroup, network)) {
                    task.run(containerPid.get());
                    done.add(task);
                }
                release(pipes.syncWriteEnd());
                if (!container.beforePivotRootActions().isEmpty()) {
                    workBeforePivotRoot(reports, pipes, containerPid.get(), container);
                }
                if (container.terminal()) {
                    terminal = takeTerminal(reports, pipes, pidfd, protocol);
                }
                if (launch.seccompAgent().isPresent()) {
                    handOverSeccompListener(reports, pipes, pidfd, containerPid.get(), launch.seccompAgent().get());
                }
                reports.awaitSetUp(container.startGate().isPresent());
                if (container.startGate().isEmpty()) {
                    reports.awaitCommand();
                }
            } catch (RuntimeException e) {
                Processes.signal(pidfd, Libc.SIGKILL());
                Processes.waitForPidfd(pidfd);
                Descriptors.close(pidfd);
                Descriptors.closeIfOpen(terminal);
                done.reversed().forEach(GateTask::undo);
                throw e;
            }
            return new LaunchedContainer(containerPid.get(), pidfd, stdio, terminal, done, cgroup,
                    network.map(NetworkTask::published).orElse(List.of()));
        } catch (RuntimeException e) {
            stdio.close();
            throw e;
        }
    }

    /**
     * {@return the launcher's work at the gate for this container, in order: its cgroup first, so
     * everything after, the container's own setup included, runs within its limits; then its
     * uid/gid maps; then its network's helper, which joins the user namespace those map; then the
     * caller's setup actions (OCI hooks), which see all three}
     */
    private static List<GateTask> gateTasks(CompiledLaunch launch, Optional<CgroupTask> cgroup,
                                            Optional<NetworkTask> network) {
        List<GateTask> tasks = new ArrayList<>();
        cgroup.ifPresent(tasks::add);
        launch.idMaps().ifPresent(maps -> tasks.add(new IdMapTask(maps)));
        network.ifPresent(tasks::add);
        launch.spec().setupActions().forEach(action -> tasks.add(action::accept));
        return tasks;
    }

    /** {@return where posix_spawn puts each descriptor the stub gets} */
    private static List<Placement> placements(LaunchProtocol protocol, StdioSetup stdio, LaunchPipes pipes) {
        List<Placement> placements = new ArrayList<>(stdio.placements());
        placements.addAll(pipes.placements());
        for (int fd = LaunchProtocol.FIRST_PRESERVED_FD; fd < protocol.syncFd(); fd++) {
            // Same number: posix_spawn then clears close-on-exec, so the container inherits it.
            placements.add(new Placement(fd, fd));
        }
        return placements;
    }

    /**
     * Writes the stub into a sealed memfd (so nobody can change it once written, not even through
     * {@code /proc}) and spawns it from there, with the start gate's FIFO (opened {@code O_PATH}:
     * opening it for real would block) in its place; {@return the stub's PID}
     */
    private static int spawnStub(StubImage stub, List<Placement> placements, Optional<Path> startGate,
                                 LaunchProtocol protocol) {
        int memfd;
        try (Arena arena = Arena.ofConfined()) {
            memfd = Descriptors.sealedMemfd(STUB_NAME, arena.allocateFrom(ValueLayout.JAVA_BYTE, stub.bytes()));
        }
        int fifo = -1;
        try {
            List<Placement> all = new ArrayList<>(placements);
            if (startGate.isPresent()) {
                fifo = Descriptors.atLeast(Descriptors.open(startGate.get().toString(), Libc.O_PATH()),
                        protocol.firstUnneededFd());
                all.add(new Placement(fifo, protocol.startFifoFd()));
            }
            return Processes.spawn("/proc/self/fd/" + memfd, List.of(STUB_NAME), all);
        } finally {
            Descriptors.close(memfd);
            Descriptors.closeIfOpen(fifo);
        }
    }

    private static Optional<Integer> readPid(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_LONG);
            int n = Descriptors.readFully(fd, pid);
            return n == Long.BYTES ? Optional.of((int) pid.get(ValueLayout.JAVA_LONG, 0)) : Optional.empty();
        }
    }

    /** Lets the container past its gate; if it already died, the error pipe tells why. */
    private static void release(int syncFd) {
        try (Arena arena = Arena.ofConfined()) {
            Descriptors.writeFully(syncFd, arena.allocate(1));
        } catch (SystemCallException e) {
            if (e.errno() != Libc.EPIPE()) {
                throw e;
            }
        }
    }

    /**
     * Once the container reports its root assembled, runs the caller's work there (OCI's createContainer
     * hooks) and releases the container into its {@code pivot_root}.
     */
    private static void workBeforePivotRoot(SetUpReports reports, LaunchPipes pipes, int pid, ContainerSpec container) {
        reports.awaitRootAssembled();
        container.beforePivotRootActions().forEach(action -> action.accept(pid));
        release(pipes.syncWriteEnd());
    }

    /**
     * Takes the listener of the container's seccomp filter once it reports it ready, gives it to the
     * agent, closes this process's copy (so the agent holds the only one) and releases the container.
     */
    private static void handOverSeccompListener(SetUpReports reports, LaunchPipes pipes, int pidfd, int pid,
                                                SeccompAgent agent) {
        int listener = Processes.pidfdGetfd(pidfd, reports.awaitSeccompListener());
        try {
            agent.take(pid, listener);
        } finally {
            Descriptors.close(listener);
        }
        release(pipes.syncWriteEnd());
    }

    /**
     * Takes the controlling side of the terminal the container opened, once it reports it ready,
     * and releases the container again; {@return the descriptor}
     */
    private static int takeTerminal(SetUpReports reports, LaunchPipes pipes, int pidfd, LaunchProtocol protocol) {
        reports.awaitTerminal();
        int terminal = Processes.pidfdGetfd(pidfd, protocol.terminalFd());
        release(pipes.syncWriteEnd());
        return terminal;
    }
}
