package dev.jrun.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the jrun CLI ({@link Main}) as a separate JVM, the way {@code ./jrun} does: with {@code -Xrs},
 * so the CLI itself handles SIGINT, SIGTERM, SIGHUP and SIGQUIT.
 *
 * @param prefix    words before the java command, e.g. {@code setpriv ...} to run it as another user
 * @param classpath the classpath holding jrun and its dependencies
 */
record JrunCli(List<String> prefix, String classpath) {

    /** How long a jrun command may run before the test gives up on it. */
    static final Duration LIMIT = Duration.ofSeconds(60);

    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** How a jrun command ended and what it printed. */
    record Result(int exitCode, String stdout, String stderr) {
        List<String> stdoutLines() {
            return stdout.lines().toList();
        }

        List<String> stderrLines() {
            return stderr.lines().toList();
        }
    }

    /** {@return the CLI run as this test's user, from the test's own classpath} */
    static JrunCli asThisUser() {
        return new JrunCli(List.of(), System.getProperty("java.class.path"));
    }

    /** {@return the command line that runs jrun with {@code args}} */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(JAVA, "-Xrs", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-cp", classpath, Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs jrun with {@code args} to its end, and {@return how it ended} once it succeeded (exit code 0) */
    Result succeeds(String... args) {
        Result result = run(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.stderr()).isZero();
        return result;
    }

    /** Runs jrun with {@code args} and no input to its end. */
    Result run(String... args) {
        return runWithInput("", args);
    }

    /** Runs jrun with {@code args}, writes {@code input} to its stdin and closes it, and waits for its end. */
    Result runWithInput(String input, String... args) {
        Process process = start(args);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finish(process, LIMIT);
    }

    /** {@return jrun started with {@code args}; its stdin is left open for the caller to write or close} */
    Process start(String... args) {
        try {
            return new ProcessBuilder(command(args)).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits at most {@code limit} for a started jrun to end and {@return how it ended}; past that,
     * jrun and its container are killed and the test fails.
     */
    static Result finish(Process process, Duration limit) {
        CompletableFuture<String> stdout = readInBackground(process.getInputStream());
        CompletableFuture<String> stderr = readInBackground(process.getErrorStream());
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                killWithContainers(process);
                throw new AssertionError("jrun " + process.pid() + " still ran after " + limit + "; killed it");
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killWithContainers(process);
            throw new AssertionError("interrupted waiting for jrun", e);
        }
    }

    /** Kills jrun's containers (its descendants, which outlive it) and then jrun, all by PID. */
    static void killWithContainers(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.onExit().join();
    }

    /** Sends {@code signal} (a name, such as TERM) to {@code process}, as {@code kill -s} does. */
    static void send(String signal, Process process) {
        try {
            int exit = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            assertThat(exit).as("kill -s %s %d", signal, process.pid()).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@return a started jrun} once its container printed its first line, "ready"; kills it otherwise. */
    static Process whenReady(Process process) {
        try {
            assertThat(firstLine(process)).isEqualTo("ready");
            return process;
        } catch (RuntimeException | AssertionError e) {
            killWithContainers(process);
            throw e;
        }
    }

    /** Reads the first line jrun's container prints: it says the container got where the test needs it. */
    static String firstLine(Process process) {
        // Byte by byte: a buffered reader could take more than the line from the stream finish() reads.
        StringBuilder line = new StringBuilder();
        try {
            for (int c; (c = process.getInputStream().read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }

    private static CompletableFuture<String> readInBackground(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("jrun-cli-output").start(() -> {
            try {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
