package dev.jrun.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A JVM of this jrun's own that outlives the command starting it (the resident helper, the jrun
 * that removes a container of {@code run -d --rm}): this JVM's java and class path, the class path
 * made absolute should the caller's working directory go, and no descriptor of this process but
 * the output it is given (stdin is /dev/null).
 */
final class BackgroundJvm {

    private BackgroundJvm() {
    }

    /** {@return the command that runs {@code main} with {@code args}, the JVM started with {@code options}} */
    static List<String> command(List<String> options, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-cp", absolute(System.getProperty("java.class.path")), main.getName()));
        command.addAll(args);
        return command;
    }

    /** Starts {@code command}, its stdout and stderr going to {@code output}. */
    static void start(List<String> command, ProcessBuilder.Redirect output) throws IOException {
        new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output)
                .redirectError(output)
                .start();
    }

    private static String absolute(String classPath) {
        return Stream.of(classPath.split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
