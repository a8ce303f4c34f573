package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.libc.SignalText;
import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Stdio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs a container's OCI hooks: each an ordinary program, started with the
 * container's state as JSON on its stdin, its own environment only, killed
 * when its timeout passes. Hooks of one kind run in order; the first that
 * fails (exits non-zero, is killed, times out) stops the others, and its
 * output is part of the error.
 *
 * <p>Hooks in the runtime's namespaces are plain child processes. Hooks in the
 * container's namespaces are started the way {@code exec} starts a process:
 * by the launch stub, which joins the container's namespaces first, and in
 * the container's cgroup (as runc runs them), so that deleting the container
 * ends them too.
 */
final class HookRunner {

    /** The kinds of hook, by their name in {@code config.json}. */
    enum Kind {
        PRESTART("prestart"), CREATE_RUNTIME("createRuntime"), CREATE_CONTAINER("createContainer"),
        START_CONTAINER("startContainer"), POSTSTART("poststart"), POSTSTOP("poststop");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        /** {@return the name in {@code config.json}} */
        String jsonName() {
            return jsonName;
        }

        List<Spec.Hook> of(Spec.Hooks hooks) {
            List<Spec.Hook> list = switch (this) {
                case PRESTART -> hooks.prestart();
                case CREATE_RUNTIME -> hooks.createRuntime();
                case CREATE_CONTAINER -> hooks.createContainer();
                case START_CONTAINER -> hooks.startContainer();
                case POSTSTART -> hooks.poststart();
                case POSTSTOP -> hooks.poststop();
            };
            return list == null ? List.of() : list;
        }
    }

    /** Output kept for an error message: enough to see why a hook failed. */
    private static final int OUTPUT_LIMIT = 4096;
    /** How long the output of a hook that ended may still take to arrive. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(5);

    private final Spec.Hooks hooks;

    HookRunner(Optional<Spec.Hooks> hooks) {
        this.hooks = hooks.orElse(new Spec.Hooks(null, null, null, null, null, null));
    }

    /** {@return whether the configuration has hooks of {@code kind}} */
    boolean has(Kind kind) {
        return !kind.of(hooks).isEmpty();
    }

    /**
     * Runs the hooks of {@code kind} in the runtime's namespaces, in order.
     *
     * @throws IllegalStateException naming the first hook that failed, and why
     */
    void run(Kind kind, State state) {
        List<Spec.Hook> list = kind.of(hooks);
        for (int i = 0; i < list.size(); i++) {
            Spec.Hook hook = list.get(i);
            runOne(label(kind, i, hook), hook, state, startOnHost(hook));
        }
    }

    /**
     * Runs the hooks of {@code kind} in the namespaces of the container whose first process is
     * {@code pid} (host view), on its filesystem, and in its cgroup when it has one, in order, each
     * process also getting what {@code confinement} sets on its builder (a startContainer hook the
     * container's seccomp filter).
     *
     * @throws IllegalStateException naming the first hook that failed, and why
     */
    void runInContainer(Kind kind, State state, int pid, Optional<Cgroup> cgroup,
                        UnaryOperator<Container.Builder> confinement) {
        runJoining(kind, state, pid, cgroup, builder -> confinement.apply(builder.filesystem(FilesystemSetup.unchanged())));
    }

    /**
     * Runs the createContainer hooks in the namespaces of the container whose first process is
     * {@code pid} (host view), and in its cgroup when it has one, in order, while the container
     * waits before {@code pivot_root}; as runc's init runs them then: the host's files as their
     * root (a hook's path is the host's), the container's root {@code rootfs} as their working
     * directory, every capability, no seccomp filter yet.
     *
     * @throws IllegalStateException naming the first hook that failed, and why
     */
    void runBeforePivotRoot(State state, int pid, Optional<Cgroup> cgroup, Path rootfs) {
        runJoining(Kind.CREATE_CONTAINER, state, pid, cgroup, builder -> builder
                .filesystem(FilesystemSetup.joiningBeforePivotRoot(rootfs)).inheritCapabilities().seccompUnconfined());
    }

    private void runJoining(Kind kind, State state, int pid, Optional<Cgroup> cgroup,
                            UnaryOperator<Container.Builder> placed) {
        List<Spec.Hook> list = kind.of(hooks);
        for (int i = 0; i < list.size(); i++) {
            Spec.Hook hook = list.get(i);
            runOne(label(kind, i, hook), hook, state, startInContainer(hook, pid, cgroup, placed));
        }
    }

    /** Runs every hook of {@code kind}, even after one failed; {@return a warning for each failure} */
    List<String> runAll(Kind kind, State state) {
        List<String> warnings = new ArrayList<>();
        List<Spec.Hook> list = kind.of(hooks);
        for (int i = 0; i < list.size(); i++) {
            Spec.Hook hook = list.get(i);
            try {
                runOne(label(kind, i, hook), hook, state, startOnHost(hook));
            } catch (RuntimeException e) {
                warnings.add(e.getMessage());
            }
        }
        return warnings;
    }

    /** The hook in failures, worded as runc's "error running hook" for those who look for it. */
    private static String label(Kind kind, int index, Spec.Hook hook) {
        return "error running hook " + kind.jsonName + "[" + index + "] (" + hook.path() + ")";
    }

    /** The hook's argv: its path, then its arguments after argv[0]. */
    private static List<String> command(Spec.Hook hook) {
        List<String> command = new ArrayList<>(List.of(hook.path()));
        if (hook.args() != null && hook.args().size() > 1) {
            command.addAll(hook.args().subList(1, hook.args().size()));
        }
        return command;
    }

    private static Map<String, String> environment(Spec.Hook hook) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String variable : hook.env() == null ? List.<String>of() : hook.env()) {
            int equals = variable.indexOf('=');
            if (equals > 0) {
                env.put(variable.substring(0, equals), variable.substring(equals + 1));
            }
        }
        return env;
    }

    /** A hook that has been started; closing releases what it holds once its output was collected. */
    private interface Started extends AutoCloseable {
        OutputStream stdin();

        /** Waits up to {@code timeout} (forever when null); {@return the status, or empty on timeout} */
        Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException;

        void kill();

        @Override
        void close();
    }

    /** Starts one hook; {@return it, with a thread collecting its output into {@code output}} */
    @FunctionalInterface
    private interface Starter {
        Started start(ByteArrayOutputStream output);
    }

    private Starter startOnHost(Spec.Hook hook) {
        return output -> {
            ProcessBuilder builder = new ProcessBuilder(command(hook)).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment(hook));
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + hook.path() + ": " + e.getMessage(), e);
            }
            Thread collector = collect(process.getInputStream(), output);
            return new Started() {
                @Override
                public OutputStream stdin() {
                    return process.getOutputStream();
                }

                @Override
                public void close() {
                    joinQuietly(collector);
                }

                @Override
                public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
                    if (timeout == null) {
                        process.waitFor();
                    } else if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        return Optional.empty();
                    }
                    return Optional.of(ExitStatus.exited(process.exitValue()));
                }

                @Override
                public void kill() {
                    process.destroyForcibly();
                }
            };
        };
    }

    private Starter startInContainer(Spec.Hook hook, int pid, Optional<Cgroup> cgroup,
                                     UnaryOperator<Container.Builder> placed) {
        return output -> {
            Container.Builder builder = placed.apply(Container.builder())
                    .command(command(hook))
                    .inheritHostname()
                    .namespaces(NamespaceSet.joiningAllOf(pid))
                    .clearEnvironment()
                    .environment(environment(hook))
                    .stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);
            cgroup.ifPresent(builder::joinCgroup);
            ContainerProcess process = builder.build().start();
            Thread stdoutCollector = collect(process.stdout(), output);
            Thread stderrCollector = collect(process.stderr(), output);
            FutureTask<ExitStatus> exit = new FutureTask<>(process::waitFor);
            Thread.ofVirtual().start(exit);
            return new Started() {
                @Override
                public OutputStream stdin() {
                    return process.stdin();
                }

                @Override
                public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
                    try {
                        return Optional.of(timeout == null ? exit.get() : exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                    } catch (TimeoutException e) {
                        return Optional.empty();
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(e.getCause());
                    }
                }

                @Override
                public void kill() {
                    process.kill(Libc.SIGKILL());
                }

                @Override
                public void close() {
                    joinQuietly(stdoutCollector);
                    joinQuietly(stderrCollector);
                    process.close();
                }
            };
        };
    }

    private static void runOne(String label, Spec.Hook hook, State state, Starter starter) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Optional<ExitStatus> status;
        try (Started started = starter.start(output)) {
            try (OutputStream stdin = started.stdin()) {
                stdin.write(state.toJson().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // A hook need not read its stdin; it may have exited already.
            }
            status = await(started, hook, label);
        }
        if (status.isEmpty()) {
            throw new IllegalStateException(label + ": timed out after " + hook.timeout() + " s" + shown(output));
        }
        ExitStatus exit = status.get();
        if (exit.wasKilled()) {
            throw new IllegalStateException(label + ": killed by " + SignalText.name(exit.signal())
                    + " (" + SignalText.description(exit.signal()) + ")" + shown(output));
        }
        if (exit.code() != 0) {
            throw new IllegalStateException(label + ": exited with " + exit.code() + shown(output));
        }
    }

    /** {@return how the hook ended, or empty when it timed out (it is killed then)} */
    private static Optional<ExitStatus> await(Started started, Spec.Hook hook, String label) {
        Duration timeout = hook.timeout() == null ? null : Duration.ofSeconds(hook.timeout());
        try {
            Optional<ExitStatus> status = started.waitFor(timeout);
            if (status.isEmpty()) {
                started.kill();
                started.waitFor(null);
            }
            return status;
        } catch (InterruptedException e) {
            started.kill();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(label + ": interrupted", e);
        }
    }

    /** Waits for a collector; a hook's child that keeps the output open must not hold up the runtime. */
    private static void joinQuietly(Thread thread) {
        try {
            thread.join(OUTPUT_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String shown(ByteArrayOutputStream output) {
        String text;
        synchronized (output) {
            text = output.toString(StandardCharsets.UTF_8).strip();
        }
        return text.isEmpty() ? "" : ": " + text;
    }

    /** Copies {@code from} into {@code output} on a virtual thread, keeping at most {@link #OUTPUT_LIMIT} bytes. */
    private static Thread collect(InputStream from, ByteArrayOutputStream output) {
        return Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[1024];
            try (from) {
                for (int n; (n = from.read(buffer)) > 0; ) {
                    synchronized (output) {
                        output.write(buffer, 0, Math.min(n, Math.max(0, OUTPUT_LIMIT - output.size())));
                    }
                }
            } catch (IOException e) {
                // The hook closed its end; what arrived is kept.
            }
        });
    }
}
