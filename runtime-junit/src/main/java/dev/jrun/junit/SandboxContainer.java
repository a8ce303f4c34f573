package dev.jrun.junit;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Stdio;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A container for tests: how to start it, when it is ready, and, once started, its process and
 * everything it printed. Put one in a {@link Sandbox @Sandbox} field of a {@link Sandboxes
 * @Sandboxes} class, and the extension starts it before the tests and stops it after; or call
 * {@link #start()} and {@link #close()} yourself.
 *
 * <pre>{@code
 * @Sandbox
 * static final SandboxContainer server = SandboxContainer.of(Container.builder()
 *                 .command("busybox", "httpd", "-f", "-p", "8080")
 *                 .namespaces(NamespaceSet.isolated().without(Namespace.NETWORK)))
 *         .waitingFor(Wait.forListeningPort(8080));
 * }</pre>
 *
 * <p>The container's stdout and stderr are captured (stderr stays merged into stdout when the
 * builder says {@link Stdio#STDOUT}); its stdin is {@code /dev/null} unless the builder pipes it.
 * It dies with the test JVM, even one killed with SIGKILL, and the next JVM that starts a
 * container removes the cgroup such a JVM left. Thread-safe: one instance is one container at a
 * time, and separate instances run in parallel, each in its own namespaces.
 */
public final class SandboxContainer implements AutoCloseable {

    /** How long a container may take to become ready, unless {@link #startupTimeout(Duration)} says otherwise. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link #close()} waits for the last output of a killed container. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    /** How often a wait strategy is asked again: short next to a start, long next to a check. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(10);

    private final Container container;
    private final WaitStrategy waitStrategy;
    private final Duration startupTimeout;
    private Running running;
    private boolean stopped;

    private SandboxContainer(Container container, WaitStrategy waitStrategy, Duration startupTimeout) {
        this.container = container;
        this.waitStrategy = waitStrategy;
        this.startupTimeout = startupTimeout;
    }

    /** A started container and its captured output. */
    private record Running(ContainerProcess process, OutputCapture stdout, Optional<OutputCapture> stderr) {
    }

    /**
     * {@return a container for tests from {@code builder}}, with its output captured and dying with
     * the JVM, ready once started until {@link #waitingFor(WaitStrategy)} says otherwise
     *
     * @param builder the container; this builds it at once, so later changes to the builder do not count
     */
    public static SandboxContainer of(Container.Builder builder) {
        Container asked = builder.build();
        Container captured = asked.toBuilder()
                .stdin(asked.stdin() == Stdio.PIPE ? Stdio.PIPE : Stdio.DISCARD)
                .stdout(Stdio.PIPE)
                .stderr(asked.stderr() == Stdio.STDOUT ? Stdio.STDOUT : Stdio.PIPE)
                .dieWithParent(true)
                .build();
        return new SandboxContainer(captured, Wait.forStart(), DEFAULT_STARTUP_TIMEOUT);
    }

    /**
     * {@return a container for tests running {@code command} in a sandbox of this host} (jrun's
     * default container: the host's files read-only, namespaces of its own, loopback only)
     *
     * @param command the program and its arguments
     */
    public static SandboxContainer command(String... command) {
        return of(Container.builder().command(command));
    }

    /**
     * {@return a copy that is ready when {@code strategy} says so}
     *
     * @param strategy when the container is ready, such as {@link Wait#forListeningPort(int)}
     */
    public SandboxContainer waitingFor(WaitStrategy strategy) {
        return new SandboxContainer(container, Objects.requireNonNull(strategy, "strategy"), startupTimeout);
    }

    /**
     * {@return a copy that must be ready within {@code timeout} of its start}
     *
     * @param timeout at least zero
     */
    public SandboxContainer startupTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("start-up timeout " + timeout + " is negative");
        }
        return new SandboxContainer(container, waitStrategy, timeout);
    }

    /** {@return the container as it is started: with its streams piped and dying with the JVM} */
    public Container container() {
        return container;
    }

    /**
     * Starts the container and waits until its wait strategy says it is ready.
     *
     * @return this container
     * @throws SandboxStartException when it cannot start, ends first or is not ready in time; the
     *                               container is then stopped, and the message holds its output
     * @throws IllegalStateException when it already runs
     */
    public synchronized SandboxContainer start() {
        if (running != null && !stopped) {
            throw new IllegalStateException("already started: " + this);
        }
        stopped = false;
        ContainerProcess process;
        try {
            process = LaunchThreads.start(container);
        } catch (RuntimeException e) {
            throw new SandboxStartException("could not start " + describe() + ": " + e.getMessage(), e);
        }
        String name = "jrun-sandbox-" + process.pid();
        running = new Running(process, OutputCapture.start(process.stdout(), name + "-stdout"),
                container.stderr() == Stdio.STDOUT ? Optional.empty()
                        : Optional.of(OutputCapture.start(process.stderr(), name + "-stderr")));
        try {
            awaitReady(process);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    private void awaitReady(ContainerProcess process) {
        Instant deadline = Instant.now().plus(startupTimeout);
        Exception lastCheckFailure = null;
        while (true) {
            Optional<ExitStatus> ended = process.waitFor(Duration.ZERO);
            if (ended.isPresent()) {
                // All it printed before it ended counts.
                awaitOutputEnd();
            }
            try {
                if (waitStrategy.isReady(this)) {
                    if (ended.isEmpty() && process.waitFor(Duration.ZERO).isPresent()) {
                        // It ended between the two checks (the strategy may wait for just that): the same holds.
                        awaitOutputEnd();
                    }
                    return;
                }
                lastCheckFailure = null;
            } catch (Exception e) {
                lastCheckFailure = e;
            }
            if (ended.isPresent()) {
                throw failure("ended (" + ended.get() + ") before " + waitStrategy.description(), lastCheckFailure);
            }
            if (!Instant.now().isBefore(deadline)) {
                throw failure("was not ready within " + startupTimeout + ": no " + waitStrategy.description(),
                        lastCheckFailure);
            }
            try {
                Thread.sleep(POLL_INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure("was interrupted waiting for " + waitStrategy.description(), e);
            }
        }
    }

    private SandboxStartException failure(String what, Throwable cause) {
        return new SandboxStartException(describe() + " " + what + "\n" + outputReport(), cause);
    }

    /** {@return the running container's process}, to signal it, wait for it or write to its stdin */
    public ContainerProcess process() {
        return requireRunning().process();
    }

    /** {@return the PID of the container's first process, as the host sees it} */
    public int pid() {
        return process().pid();
    }

    /** {@return everything the container wrote to stdout so far (with stderr, when merged), as UTF-8} */
    public String stdout() {
        return requireRunning().stdout().text();
    }

    /** {@return everything the container wrote to stderr so far, as UTF-8; empty when merged into stdout} */
    public String stderr() {
        return requireRunning().stderr().map(OutputCapture::text).orElse("");
    }

    /** {@return whether the container was started and not closed since (it may have ended on its own)} */
    public synchronized boolean isStarted() {
        return running != null && !stopped;
    }

    /**
     * {@return the container's output as a failure report shows it: its stdout, then its stderr,
     * each under a heading}
     */
    public String outputReport() {
        return "--- stdout of " + describe() + " ---\n" + withNewline(stdout())
                + (container.stderr() == Stdio.STDOUT ? ""
                : "--- stderr of " + describe() + " ---\n" + withNewline(stderr()));
    }

    private static String withNewline(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    private synchronized Running requireRunning() {
        if (running == null) {
            throw new IllegalStateException("not started: " + this);
        }
        return running;
    }

    /**
     * Stops the container: kills it (SIGKILL) if it still runs, reaps it and removes its cgroup.
     * What it printed stays readable until the next {@link #start()}, which may follow. Closing a
     * container that is not running does nothing.
     */
    @Override
    public synchronized void close() {
        if (running != null && !stopped) {
            stopped = true;
            running.process().close();
            // Once every process of the container is gone, its streams end: wait for their last bytes.
            awaitOutputEnd();
        }
    }

    private void awaitOutputEnd() {
        running.stdout().awaitEnd(OUTPUT_DRAIN);
        running.stderr().ifPresent(stderr -> stderr.awaitEnd(OUTPUT_DRAIN));
    }

    private String describe() {
        return "sandbox " + container.command() + (running == null ? "" : " (pid " + running.process().pid() + ")");
    }

    @Override
    public synchronized String toString() {
        return describe() + ", " + waitStrategy + ", start-up timeout " + startupTimeout
                + (running == null ? ", not started" : stopped ? ", stopped" : running.process().isAlive() ? ", running" : ", ended");
    }
}
