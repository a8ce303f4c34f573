package dev.jrun.internal.launch;

import dev.jrun.Cgroup;
import dev.jrun.Container;
import dev.jrun.ContainerProcess;
import dev.jrun.ExitStatus;
import dev.jrun.Namespace;
import dev.jrun.SystemCallException;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Processes;
import dev.jrun.internal.sys.Processes.Placement;
import dev.jrun.internal.userns.IdMaps;
import dev.jrun.launch.LaunchPlan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.jrun.internal.launch.LaunchProtocol.ERROR_RECORD_SIZE;

/**
 * Starts a container: writes the launch stub into a memfd, spawns it with
 * {@code posix_spawn}, learns the container's PID from it, releases the
 * container at the gate and waits until its {@code execve} succeeded or a step
 * failed. Holds no lock: containers start concurrently.
 */
public final class Launcher {

    private static final String STUB_NAME = "jrun-stub";

    private Launcher() {
    }

    /**
     * {@return the running container}
     *
     * @throws SystemCallException naming the failed step and the errno
     */
    public static ContainerProcess launch(Container container, LaunchPlan plan) {
        Optional<CgroupTask> cgroup = CgroupTask.prepare(container);
        StubImage stub = StubImage.of(plan);
        StdioSetup stdio = StdioSetup.open(container);
        try (LaunchPipes pipes = new LaunchPipes()) {
            int stubPid;
            try {
                List<Placement> placements = new ArrayList<>(stdio.placements());
                placements.addAll(pipes.placements());
                stubPid = spawnStub(stub, placements);
            } finally {
                pipes.closeStubEnds();
                stdio.closeChildEnds();
            }
            Optional<Integer> containerPid = readPid(pipes.pidReadEnd());
            ExitStatus stubStatus = Processes.waitForPid(stubPid);
            if (containerPid.isEmpty()) {
                failure(stub, plan, pipes.errorReadEnd()).ifPresent(e -> {
                    throw e;
                });
                throw new IllegalStateException("launch stub ended (" + stubStatus + ") without starting the container");
            }
            int pidfd = Processes.pidfdOpen(containerPid.get());
            List<GateTask> done = new ArrayList<>();
            try {
                for (GateTask task : gateTasks(container, cgroup)) {
                    task.run(containerPid.get());
                    done.add(task);
                }
                release(pipes.syncWriteEnd());
                failure(stub, plan, pipes.errorReadEnd()).ifPresent(e -> {
                    throw e;
                });
            } catch (RuntimeException e) {
                Processes.signal(pidfd, Libc.SIGKILL());
                Processes.waitForPidfd(pidfd);
                Descriptors.close(pidfd);
                done.reversed().forEach(GateTask::undo);
                throw e;
            }
            return new LaunchedContainer(containerPid.get(), pidfd, stdio, done, cgroup.<Cgroup>map(CgroupTask::cgroup));
        } catch (RuntimeException e) {
            stdio.close();
            throw e;
        }
    }

    /**
     * {@return the launcher's work at the gate for this container, in order: its cgroup first, so
     * everything after, the container's own setup included, runs within its limits}
     */
    private static List<GateTask> gateTasks(Container container, Optional<CgroupTask> cgroup) {
        List<GateTask> tasks = new ArrayList<>();
        cgroup.ifPresent(tasks::add);
        if (container.namespaces().creates(Namespace.USER)) {
            tasks.add(new IdMapTask(new IdMaps(container.uidMappings(), container.gidMappings())));
        }
        return tasks;
    }

    /** Writes the stub into a memfd and spawns it from there; {@return the stub's PID} */
    private static int spawnStub(StubImage stub, List<Placement> placements) {
        int memfd = Descriptors.memfd(STUB_NAME, Libc.MFD_CLOEXEC());
        try (Arena arena = Arena.ofConfined()) {
            Descriptors.writeFully(memfd, arena.allocateFrom(ValueLayout.JAVA_BYTE, stub.bytes()));
            return Processes.spawn("/proc/self/fd/" + memfd, List.of(STUB_NAME), placements);
        } finally {
            Descriptors.close(memfd);
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

    /** {@return the failure the stub reported, or empty when the error pipe reached end of file: execve succeeded} */
    private static Optional<SystemCallException> failure(StubImage stub, LaunchPlan plan, int errorFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment record = arena.allocate(ERROR_RECORD_SIZE, Long.BYTES);
            if (Descriptors.readFully(errorFd, record) < ERROR_RECORD_SIZE) {
                return Optional.empty();
            }
            int step = stub.stepAt(record.get(ValueLayout.JAVA_LONG, 0));
            int errno = (int) record.get(ValueLayout.JAVA_LONG, Long.BYTES);
            return Optional.of(new SystemCallException(plan.step(step).description(), errno));
        }
    }
}
