package dev.jrun.internal.launch;

import dev.jrun.internal.stub.StubImage;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

import static dev.jrun.internal.protocol.LaunchProtocol.ERROR_RECORD_SIZE;

/**
 * What a container tells the launcher while it sets itself up, read in order: its root is
 * assembled (if the launcher has work to do there before {@code pivot_root}), its terminal is
 * ready (if it has one), the listener of its seccomp filter is ready (if it notifies an agent), it
 * is set up (or waits at its start gate), its command runs. A container that ends before a report
 * is asked why: the failed step's record on the error pipe, else the OOM killer's count in its
 * cgroup, which is read before the failed launch removes the cgroup.
 */
final class SetUpReports {

    private final StubImage stub;
    private final LaunchPlan plan;
    private final LaunchPipes pipes;
    private final Optional<CgroupTask> cgroup;

    SetUpReports(StubImage stub, LaunchPlan plan, LaunchPipes pipes, Optional<CgroupTask> cgroup) {
        this.stub = stub;
        this.plan = plan;
        this.pipes = pipes;
        this.cgroup = cgroup;
    }

    /** Waits until the container's root is assembled and the container waits before entering it. */
    void awaitRootAssembled() {
        await("the container ended before its root was assembled");
    }

    /** Waits until the container's terminal is ready for the launcher to take. */
    void awaitTerminal() {
        await("the container ended before it opened its terminal");
    }

    /** Waits until the container loaded a filter that notifies a seccomp agent; {@return the listener's descriptor there} */
    int awaitSeccompListener() {
        await("the container ended before it loaded its seccomp filter");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fd = arena.allocate(ValueLayout.JAVA_LONG);
            if (Descriptors.readFully(pipes.pidReadEnd(), fd) < Long.BYTES) {
                throw new IllegalStateException("the container ended before it reported its seccomp listener");
            }
            return (int) fd.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Waits until the container is set up: at its start gate if it has one, else about to execute its command. */
    void awaitSetUp(boolean startGate) {
        await(startGate ? "the container ended before it reached its start gate"
                : "the container ended before its set-up was done");
    }

    /**
     * Waits until the command runs: returns when {@code execve} succeeded.
     *
     * @throws SystemCallException naming the step that failed instead
     */
    void awaitCommand() {
        failure().ifPresent(e -> {
            throw e;
        });
    }

    /** {@return the failure the stub reported, or empty when the error pipe reached end of file: execve succeeded} */
    Optional<SystemCallException> failure() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment record = arena.allocate(ERROR_RECORD_SIZE, Long.BYTES);
            if (Descriptors.readFully(pipes.errorReadEnd(), record) < ERROR_RECORD_SIZE) {
                return Optional.empty();
            }
            int step = stub.stepAt(record.get(ValueLayout.JAVA_LONG, 0));
            int errno = (int) record.get(ValueLayout.JAVA_LONG, Long.BYTES);
            return Optional.of(new SystemCallException(plan.step(step), errno));
        }
    }

    /** Waits for the next one-byte report on the pid pipe; end of file there means the container ended. */
    private void await(String ended) {
        try (Arena arena = Arena.ofConfined()) {
            if (Descriptors.readFully(pipes.pidReadEnd(), arena.allocate(1)) == 1) {
                return;
            }
        }
        awaitCommand(); // a failed step reports why it ended
        throw new IllegalStateException(cgroup.flatMap(CgroupTask::oomKill)
                .map(cause -> "the container was killed by the OOM killer during set-up: " + cause)
                .orElse(ended));
    }
}
