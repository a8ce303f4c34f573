package dev.jrun.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The command line of an engine that drives jrun as its runtime (podman, containerd's ctr): each
 * command runs to its end, stdin empty, its output and errors together in a file of the test's
 * (a container may keep a pipe open long after the command ended).
 */
final class EngineCli {

    /** What one command did. */
    record Result(int exitCode, String output) {
    }

    private static final long TIMEOUT_SECONDS = 120;

    private final List<String> prefix;
    private final Path scratch;

    /**
     * @param prefix  the engine's command and its global options, before each command's arguments
     * @param scratch the directory for the output files
     */
    EngineCli(List<String> prefix, Path scratch) {
        this.prefix = List.copyOf(prefix);
        this.scratch = scratch;
    }

    /** {@return the engine's command line with {@code args}} */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(args));
        return command;
    }

    /** Runs the engine with {@code args} to its end. */
    Result run(String... args) {
        return run(command(args), scratch);
    }

    /** Starts the engine with {@code args}, its output going to {@code output}; {@return it, running} */
    Process start(Path output, String... args) {
        return start(command(args), output);
    }

    /** Runs {@code command} to its end, its output in a file in {@code scratch}. */
    static Result run(List<String> command, Path scratch) {
        try {
            Path output = Files.createTempFile(scratch, "output", ".txt");
            Process process = start(command, output);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
            return new Result(process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Process start(List<String> command, Path output) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
