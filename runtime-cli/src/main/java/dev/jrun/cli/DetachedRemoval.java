package dev.jrun.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What stays with a container of {@code run -d --rm IMAGE} once {@code run} returns: a jrun of its
 * own that runs {@code delete --when-stopped ID}, which waits for the container to end and then
 * deletes it, root, writable layer and cgroup included. It runs in a session of its own (util-linux's
 * {@code setsid}), so that no signal sent to the caller's terminal or process group reaches it, on
 * an interpreted JVM with a small heap, since it only waits; what it reports goes to the
 * container's {@code output.log} ({@code jrun logs ID}), the one place left to look when the
 * container was not removed.
 */
final class DetachedRemoval {

    private static final String SETSID = "setsid";
    /** An idle process: interpreted, the smallest heap and stacks, no perf data file. */
    private static final List<String> JVM_OPTIONS = List.of("--enable-native-access=ALL-UNNAMED", "-Xint",
            "-XX:+UseSerialGC", "-Xss256k", "-Xms4m", "-Xmx32m", "-XX:-UsePerfData", "-Xrs");

    private DetachedRemoval() {
    }

    /**
     * {@return util-linux's setsid, found on PATH}
     *
     * @throws IllegalStateException when there is none: checked before the container is made
     */
    static Path setsid() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, SETSID))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("--rm with -d needs " + SETSID + " on PATH (" + path
                        + ") to start the jrun that removes the container when it ends: install Debian's util-linux"));
    }

    /**
     * Starts the jrun that deletes container {@code id} of {@code jrun}'s state root once it stops,
     * with {@code jrun}'s global options, its output appended to {@code output}.
     */
    static void start(Path setsid, JrunCommand jrun, String id, Path output) {
        List<String> arguments = new ArrayList<>(List.of("--root", jrun.root.toAbsolutePath().toString(),
                "--log-format", jrun.logFormat.name()));
        if (jrun.logFile != null) {
            arguments.addAll(List.of("--log", jrun.logFile.toAbsolutePath().toString()));
        }
        if (jrun.debug) {
            arguments.add("--debug");
        }
        arguments.addAll(List.of("delete", "--when-stopped", id));
        List<String> command = new ArrayList<>(List.of(setsid.toString()));
        command.addAll(BackgroundJvm.command(JVM_OPTIONS, Main.class, arguments));
        try {
            BackgroundJvm.start(command, ProcessBuilder.Redirect.appendTo(output.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("start " + String.join(" ", command), e);
        }
    }
}
