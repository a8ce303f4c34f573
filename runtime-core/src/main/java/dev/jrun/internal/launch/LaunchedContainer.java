package dev.jrun.internal.launch;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.FdInputStream;
import dev.jrun.internal.sys.FdOutputStream;
import dev.jrun.internal.sys.Processes;
import dev.jrun.internal.sys.Terminals;
import dev.jrun.internal.sys.UnixSockets;
import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.PortMapping;
import dev.jrun.model.ResourceStats;
import dev.jrun.model.Terminal;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * A started container, tracked through a pidfd so a recycled PID can never be
 * signalled. Closing it also undoes the launcher's gate work (its cgroup, for
 * example) once the container is gone; detaching leaves the container running.
 */
final class LaunchedContainer implements ContainerProcess {

    private final int pid;
    private final int pidfd;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final Optional<Terminal> terminal;
    private final List<GateTask> gateTasks;
    private final Optional<CgroupTask> cgroupTask;
    private final Optional<Cgroup> cgroup;
    private final List<PortMapping> published;
    private final Object reaping = new Object();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private volatile ExitStatus status;
    /** Why this handle sent SIGKILL, when it did while the process still ran; null when it did not. */
    private volatile ExitStatus.Cause killedBecause;
    private boolean closed;
    private boolean detached;
    private boolean watched;

    /**
     * @param terminalMaster the controlling side of the container's terminal, or -1; this takes ownership
     * @param cgroupTask     the task that gave the container its cgroup, which counts its OOM kills
     * @param published      the ports published on the host, with the host ports they got
     */
    LaunchedContainer(int pid, int pidfd, StdioSetup stdio, int terminalMaster, List<GateTask> gateTasks,
                      Optional<CgroupTask> cgroupTask, List<PortMapping> published) {
        this.published = List.copyOf(published);
        this.pid = pid;
        this.pidfd = pidfd;
        this.gateTasks = List.copyOf(gateTasks);
        this.cgroupTask = cgroupTask;
        this.cgroup = cgroupTask.map(CgroupTask::cgroup);
        this.stdin = optional(stdio.takeParentEnd(0), FdOutputStream::new);
        this.stdout = optional(stdio.takeParentEnd(1), FdInputStream::new);
        this.stderr = optional(stdio.takeParentEnd(2), FdInputStream::new);
        this.terminal = terminalMaster < 0 ? Optional.empty()
                : Optional.of(new PtyTerminal(terminalMaster, Terminals.name(terminalMaster)));
    }

    private static <T> T optional(int fd, IntFunction<T> wrapper) {
        return fd < 0 ? null : wrapper.apply(fd);
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public ExitStatus waitFor() {
        ExitStatus ended;
        boolean reapedHere = false;
        synchronized (reaping) {
            if (status == null) {
                status = withCause(Processes.waitForPidfd(pidfd));
                reapedHere = true;
            }
            ended = status;
        }
        if (reapedHere) {
            // What lives only as long as the container (its network's helper) goes with it.
            gateTasks.forEach(GateTask::containerEnded);
        }
        // Outside the lock: the futures' dependent actions run here.
        exit.complete(ended);
        return ended;
    }

    /** A SIGKILL this handle did not send, in a cgroup whose OOM kill count rose, came from the OOM killer. */
    private ExitStatus withCause(ExitStatus ended) {
        if (ended.signal() != Libc.SIGKILL()) {
            return ended;
        }
        if (killedBecause != null) {
            return ended.because(killedBecause);
        }
        boolean oom = cgroupTask.flatMap(CgroupTask::oomKill).isPresent();
        return oom ? ended.because(ExitStatus.Cause.OOM_KILLED) : ended;
    }

    /** The pidfd is readable once the process has ended, reaped or not. */
    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) {
        if (status != null) {
            return Optional.of(status);
        }
        int millis = (int) Math.clamp(timeout.plusNanos(999_999).toMillis(), 0, Integer.MAX_VALUE);
        return Descriptors.awaitReadableWithin(millis, pidfd)[0] == 0 ? Optional.empty() : Optional.of(waitFor());
    }

    @Override
    public ExitStatus waitForOrKill(Duration timeout) {
        return waitFor(timeout).orElseGet(() -> {
            kill(Libc.SIGKILL(), ExitStatus.Cause.TIMED_OUT);
            return waitFor();
        });
    }

    @Override
    public CompletableFuture<ExitStatus> onExit() {
        synchronized (this) {
            if (!watched && !closed && status == null) {
                watched = true;
                ExitWatcher.watch(this, pidfd);
            }
        }
        return exit.copy();
    }

    /** Called by the {@link ExitWatcher} when the process ended: reaps it, unless the handle was detached. */
    void exited() {
        synchronized (reaping) {
            if (!detached) {
                try {
                    waitFor();
                } catch (RuntimeException e) {
                    exit.completeExceptionally(e);
                }
            }
        }
    }

    @Override
    public OptionalInt networkHelperPid() {
        return gateTasks.stream().filter(NetworkTask.class::isInstance).map(NetworkTask.class::cast)
                .map(NetworkTask::helperPid).filter(OptionalInt::isPresent).findFirst().orElse(OptionalInt.empty());
    }

    @Override
    public List<PortMapping> publishedPorts() {
        return published;
    }

    @Override
    public boolean isAlive() {
        return status == null;
    }

    @Override
    public void kill(int signal) {
        kill(signal, ExitStatus.Cause.SIGNALED);
    }

    private void kill(int signal, ExitStatus.Cause because) {
        if (status != null) {
            return;
        }
        // Only a SIGKILL sent while the process still runs is this handle's; one sent to a process the
        // OOM killer already ended must not hide that.
        if (signal == Libc.SIGKILL() && killedBecause == null && Descriptors.awaitReadableWithin(0, pidfd)[0] == 0) {
            killedBecause = because;
        }
        Processes.signal(pidfd, signal);
    }

    @Override
    public OutputStream stdin() {
        return piped(stdin, "stdin");
    }

    @Override
    public InputStream stdout() {
        return piped(stdout, "stdout");
    }

    @Override
    public InputStream stderr() {
        return piped(stderr, "stderr");
    }

    private static <T> T piped(T stream, String name) {
        if (stream == null) {
            throw new IllegalStateException(name + " is not a pipe: start the container with Stdio.PIPE for it");
        }
        return stream;
    }

    @Override
    public Optional<Terminal> terminal() {
        return terminal;
    }

    @Override
    public Optional<Cgroup> cgroup() {
        return cgroup;
    }

    @Override
    public ResourceStats stats() {
        return requireCgroup().stats();
    }

    @Override
    public void pause() {
        requireCgroup().freeze();
    }

    @Override
    public void resume() {
        requireCgroup().thaw();
    }

    private Cgroup requireCgroup() {
        return cgroup.orElseThrow(() -> new IllegalStateException("the container has no cgroup of its own: "
                + CgroupHost.probe().unavailableReason().orElse("it was started without one")));
    }

    @Override
    public void close() {
        if (markClosed()) {
            kill(Libc.SIGKILL());
            waitFor();
            try {
                gateTasks.reversed().forEach(GateTask::undo);
            } finally {
                // A cgroup that cannot be removed must not leak the descriptors as well.
                closeDescriptors();
            }
        }
    }

    /** Leaves the container running, and what the gate tasks made (its cgroup) in place for it. */
    @Override
    public void detach() {
        if (markClosed()) {
            synchronized (reaping) {
                detached = true;
            }
            if (watched) {
                ExitWatcher.unwatch(this);
            }
            gateTasks.forEach(GateTask::containerDetached);
            closeDescriptors();
        }
    }

    /** {@return whether this call closed the handle, which happens once} */
    private synchronized boolean markClosed() {
        boolean first = !closed;
        closed = true;
        return first;
    }

    private void closeDescriptors() {
        Descriptors.close(pidfd);
        closeQuietly(stdin);
        closeQuietly(stdout);
        closeQuietly(stderr);
        terminal.ifPresent(t -> closeQuietly((PtyTerminal) t));
    }

    private static void closeQuietly(Closeable stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "container pid " + pid + (status == null ? " (running)" : " (" + status + ")")
                + cgroup.map(c -> ", cgroup " + c.directories().getFirst()).orElse("");
    }

    /** The master side of the container's pseudo-terminal. */
    private static final class PtyTerminal implements Terminal, Closeable {

        private final int master;
        private final String name;
        private final InputStream output;
        private final OutputStream input;

        PtyTerminal(int master, String name) {
            this.master = master;
            this.name = name;
            // Each stream owns a descriptor of its own, so each can be closed on its own.
            this.output = new FdInputStream(master);
            this.input = new FdOutputStream(Descriptors.fcntl(master, Libc.F_DUPFD_CLOEXEC(), 0));
        }

        @Override
        public InputStream output() {
            return output;
        }

        @Override
        public OutputStream input() {
            return input;
        }

        @Override
        public void resize(int columns, int rows) {
            Terminals.resize(master, new Terminals.Size(columns, rows));
        }

        @Override
        public void sendTo(Path socket) {
            UnixSockets.sendDescriptor(socket, master, name);
        }

        @Override
        public void close() throws IOException {
            input.close();
            output.close();
        }

        @Override
        public String toString() {
            return "terminal " + name;
        }
    }
}
