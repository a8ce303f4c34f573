package dev.jrun.model;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A running container: its first process (PID 1 inside, a child of the JVM
 * outside) and the streams connected to it.
 *
 * <p>Closing kills the container if it still runs, reaps it, removes its
 * cgroup and closes its streams; use it in try-with-resources, or
 * {@link #detach()} it to leave it running. All methods are thread-safe: one
 * thread may wait while another kills.
 */
public interface ContainerProcess extends AutoCloseable {

    /** {@return the first process's PID as the host sees it} */
    int pid();

    /**
     * Waits until the container's first process ends, and reaps it.
     *
     * @return how it ended
     */
    ExitStatus waitFor();

    /**
     * Waits at most {@code timeout} for the container's first process to end, and reaps it if it did.
     * Unlike {@link Process#waitFor(long, java.util.concurrent.TimeUnit)}, which answers a boolean,
     * this returns the status, so that no second call is needed. A timeout of zero or less only
     * looks; one above {@code Integer.MAX_VALUE} milliseconds waits that long.
     *
     * @param timeout how long to wait
     * @return how it ended, or empty when it still runs after {@code timeout}
     */
    Optional<ExitStatus> waitFor(Duration timeout);

    /**
     * Waits at most {@code timeout} for the container's first process to end; if it still runs then,
     * kills it with SIGKILL.
     *
     * @param timeout how long the container may still run
     * @return how it ended: {@linkplain ExitStatus#timedOut() timed out} when this killed it
     */
    ExitStatus waitForOrKill(Duration timeout);

    /**
     * {@return a future completed with the exit status once the container's first process ends},
     * whoever waits for it. No thread waits for each container: one thread of the JVM watches
     * every container's pidfd, and the process is reaped in the common pool (where the future's
     * dependent actions also run, unless given an executor). Each call returns a new future, so
     * completing one by hand affects no other. A handle {@linkplain #detach() detached} before the
     * process ended never completes it.
     */
    CompletableFuture<ExitStatus> onExit();

    /** {@return whether the first process has not yet been seen to end} */
    boolean isAlive();

    /**
     * Sends a signal to the container's first process. Signalling a process
     * that already ended does nothing.
     *
     * <p>The first process is the init of its PID namespace: like any such
     * init it receives only the signals it has a handler for, and SIGKILL. A
     * plain {@code sleep} ignores SIGTERM; {@link dev.jrun.Foreground} ends such a
     * container on the user's SIGTERM the way a shell would.
     *
     * @param signal a signal number, such as 15 for SIGTERM
     */
    void kill(int signal);

    /**
     * {@return the container's stdin}
     *
     * @throws IllegalStateException unless stdin is {@link Stdio#PIPE}
     */
    OutputStream stdin();

    /**
     * {@return the container's stdout}
     *
     * @throws IllegalStateException unless stdout is {@link Stdio#PIPE}
     */
    InputStream stdout();

    /**
     * {@return the container's stderr}
     *
     * @throws IllegalStateException unless stderr is {@link Stdio#PIPE}
     */
    InputStream stderr();

    /**
     * {@return the ports published on the host ({@code Container.Builder.publish}), each with the host
     * port it got; empty without a private network}
     */
    default List<PortMapping> publishedPorts() {
        return List.of();
    }

    /**
     * {@return where the container's published TCP port {@code containerPort} is reached on the host}
     *
     * @throws IllegalArgumentException if that port is not published
     */
    default InetSocketAddress publishedAddress(int containerPort) {
        return publishedPorts().stream()
                .filter(port -> port.containerPort() == containerPort && port.protocol() == PortMapping.Protocol.TCP)
                .findFirst()
                .map(PortMapping::hostSocketAddress)
                .orElseThrow(() -> new IllegalArgumentException("the container's TCP port " + containerPort
                        + " is not published (published: " + publishedPorts() + ")"));
    }

    /**
     * {@return the PID of the helper that gives the container its private network (slirp4netns),
     * once it runs; empty without a private network} The helper of a container that does not
     * die with its parent outlives this process when the handle is {@linkplain #detach() detached}: whoever removes the container
     * then stops it.
     */
    default OptionalInt networkHelperPid() {
        return OptionalInt.empty();
    }

    /** {@return the pseudo-terminal the command runs on, when started with a terminal} */
    Optional<Terminal> terminal();

    /**
     * {@return the container's cgroup; empty when the launcher could not create one (see
     * {@link dev.jrun.Cgroups#unavailableReason()}), which it only accepts for a container without resource limits}
     */
    Optional<Cgroup> cgroup();

    /**
     * {@return what the container has used: CPU time, memory, tasks}
     *
     * @throws IllegalStateException if the container has no cgroup of its own
     */
    ResourceStats stats();

    /**
     * Freezes every process of the container (the cgroup freezer) and returns once they are frozen.
     *
     * @throws IllegalStateException if the container has no cgroup of its own, or the host no freezer
     */
    void pause();

    /** Lets a paused container run again. */
    void resume();

    /** Kills the container (SIGKILL) if it still runs, reaps it, removes its cgroup and closes its streams. */
    @Override
    void close();

    /**
     * Lets the container run on without this handle: closes the handle's descriptors and
     * streams, but neither kills nor reaps the container. Its first process stays this process's
     * child until it ends; when this process ends first, it is reparented (to the nearest
     * subreaper, or init), which then collects its exit status. The launcher's gate work is not
     * undone. After this, only {@link #pid()} may be used.
     */
    void detach();
}
