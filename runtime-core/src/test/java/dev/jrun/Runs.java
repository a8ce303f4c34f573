package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Stdio;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test helpers: running a container to completion and reading what it printed; skipping without root. */
final class Runs {

    /** How a container ended and what it wrote. */
    record Result(ExitStatus status, String stdout, String stderr) {
    }

    private Runs() {
    }

    /** Skips the calling test unless it runs as root, saying why it needs root. */
    static void assumeRoot(String why) {
        assumeTrue(isRoot(), "needs root: " + why);
    }

    static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the container with piped stdout and stderr until it ends. */
    static Result run(Container.Builder builder) {
        Container container = builder.stdout(Stdio.PIPE).stderr(Stdio.PIPE).build();
        try (ContainerProcess process = container.start()) {
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.stderr()));
            String stdout = read(process.stdout());
            return new Result(process.waitFor(), stdout, stderr.join());
        }
    }

    /** {@return a builder for {@code sh -c script}} */
    static Container.Builder shell(String script) {
        return Container.builder().command("sh", "-c", script);
    }

    static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
