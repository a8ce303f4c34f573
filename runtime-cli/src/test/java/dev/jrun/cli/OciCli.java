package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.AbstractStringAssert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the jrun command line as a JVM of its own, the way engines run a runtime, on a state root
 * of the test's. Output goes to files, not pipes: a container inherits jrun's stdio and may keep it
 * open long after jrun exited.
 */
final class OciCli {

    /** What one jrun invocation did. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    static final long TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path scratch;
    private int invocations;

    /**
     * @param root    the state root ({@code --root})
     * @param scratch a directory for the output files
     */
    OciCli(Path root, Path scratch) {
        this.root = root;
        this.scratch = scratch;
    }

    /** {@return a CLI on the state root {@code work/state}, its output files in {@code work/out}} */
    static OciCli in(Path work) {
        try {
            return new OciCli(work.resolve("state"), Files.createDirectories(work.resolve("out")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the state root} */
    Path root() {
        return root;
    }

    /** Deletes, with --force, every container left in the state root, and checks that none is left. */
    void deleteEveryContainer() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> containers = Files.list(root)) {
            containers.forEach(c -> run("delete", "--force", c.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(root).isEmptyDirectory();
    }

    /** {@return the command that runs jrun from the test's class path, before any argument} */
    static List<String> launcher() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xrs", "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    /**
     * Writes {@code file}, a script that runs jrun from the test's class path with {@code options}
     * before its arguments, for an engine to run as its runtime: the launcher of the build under
     * test, as the repository's {@code jrun} script is of the jar; {@return the file}
     */
    static Path launcherScript(Path file, String... options) {
        String command = Stream.concat(launcher().stream(), Stream.of(options))
                .map(word -> "'" + word + "'")
                .collect(Collectors.joining(" "));
        write(file, "#!/bin/sh\nexec " + command + " \"$@\"\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** {@return the command that runs jrun on the state root with {@code args}, for a ProcessBuilder} */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("--root", root.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs jrun with {@code args}, stdin empty, and waits for it. */
    Result run(String... args) {
        return run(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()), args);
    }

    /** Runs jrun with {@code args} and {@code input} on its stdin, and waits for it. */
    Result runWithInput(String input, String... args) {
        Path in = scratch.resolve("stdin-" + (++invocations));
        write(in, input);
        return run(ProcessBuilder.Redirect.from(in.toFile()), args);
    }

    /** Runs {@code command} (jrun's, possibly wrapped), output to files, and waits for it. */
    Result run(List<String> command) {
        return start(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
    }

    /** Runs jrun with {@code args} in {@code directory} (runc's {@code cd bundle; runc run ID}), stdin empty. */
    Result runIn(Path directory, String... args) {
        return start(new ProcessBuilder(command(args)).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
    }

    private Result run(ProcessBuilder.Redirect stdin, String... args) {
        return start(new ProcessBuilder(command(args)).redirectInput(stdin));
    }

    /** Starts {@code command} (jrun's, possibly wrapped), stdin empty, output to files; {@return it, running} */
    Process startInBackground(List<String> command) {
        return launch(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())));
    }

    private Process launch(ProcessBuilder builder) {
        int n = ++invocations;
        builder.redirectOutput(scratch.resolve("stdout-" + n).toFile()).redirectError(scratch.resolve("stderr-" + n).toFile());
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Result start(ProcessBuilder builder) {
        Process process = launch(builder);
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("jrun did not finish within " + TIMEOUT_SECONDS + " s: " + builder.command());
            }
            return new Result(process.exitValue(), Files.readString(builder.redirectOutput().file().toPath()),
                    Files.readString(builder.redirectError().file().toPath()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs jrun and expects it to fail; {@return an assertion on its one-line error message} */
    AbstractStringAssert<?> assertRefused(String... args) {
        Result result = run(args);
        assertThat(result.exitCode()).as("exit code of jrun " + String.join(" ", args)).isNotZero();
        return assertThat(result.stderr()).startsWith("jrun: ");
    }

    /** {@return the OCI state {@code jrun state id} prints} */
    JsonNode state(String id) {
        Result result = run("state", id);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return json(result.stdout());
    }

    /** {@return {@code text} parsed as JSON} */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
