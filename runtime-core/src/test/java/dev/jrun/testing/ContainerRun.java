package dev.jrun.testing;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Stdio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a container to its end with its stdout and stderr piped, and {@return what it printed and how
 * it ended}. Stdin is {@code /dev/null} unless input is given, so no container ever reads the test
 * runner's stdin.
 *
 * @param status how the container's first process ended
 * @param stdout everything it wrote to stdout
 * @param stderr everything it wrote to stderr
 */
public record ContainerRun(ExitStatus status, String stdout, String stderr) {

    /** How long a container that should end by itself may run before the test gives up on it. */
    public static final Duration LIMIT = Duration.ofSeconds(30);

    /** Runs {@code command} in a default container (host sandbox, isolated namespaces). */
    public static ContainerRun run(String... command) {
        return run(Container.builder().command(command));
    }

    /** Runs the container the builder describes, its stdin reading {@code /dev/null}. */
    public static ContainerRun run(Container.Builder builder) {
        return run(builder.stdin(Stdio.DISCARD), null);
    }

    /** Runs the container the builder describes, writing {@code input} to its stdin and then closing it. */
    public static ContainerRun runWithInput(Container.Builder builder, String input) {
        return run(builder.stdin(Stdio.PIPE), input);
    }

    private static ContainerRun run(Container.Builder builder, String input) {
        Container container = builder.stdout(Stdio.PIPE).stderr(Stdio.PIPE).build();
        try (ContainerProcess process = container.start()) {
            CompletableFuture<String> stderr = readInBackground(process.stderr());
            CompletableFuture<String> stdout = readInBackground(process.stdout());
            if (input != null) {
                writeAndClose(process.stdin(), input);
            }
            ExitStatus status = waitFor(process, LIMIT);
            return new ContainerRun(status, await(stdout), await(stderr));
        }
    }

    /**
     * {@return how the container ended}, waiting at most {@code limit}; past that the container is
     * killed and the test fails
     */
    public static ExitStatus waitFor(ContainerProcess process, Duration limit) {
        return process.waitFor(limit).orElseThrow(() -> {
            process.close();
            return new AssertionError("container " + process.pid() + " still ran after " + limit + "; killed it");
        });
    }

    /** {@return a future of everything {@code stream} yields up to its end (or until it fails, e.g. EIO on a terminal)} */
    public static CompletableFuture<String> readInBackground(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> readUntilEnd(stream), Threads.platform());
    }

    private static String readUntilEnd(InputStream stream) {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = stream.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // A terminal's master reports EIO once the container's side is closed: that is its end.
        }
        return text.toString();
    }

    private static void writeAndClose(OutputStream stdin, String input) {
        try (stdin) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String await(CompletableFuture<String> text) {
        try {
            return text.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted reading the container's output", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("reading the container's output failed", e);
        }
    }

    /** {@return the lines of stdout} */
    public List<String> stdoutLines() {
        return stdout.lines().toList();
    }
}
