package dev.jrun.testing;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.Stdio;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Starts containers that a test signals while they run. */
public final class RunningContainer {

    private RunningContainer() {
    }

    /** {@return a started container running {@code sh -c script}, stdout piped, stdin and stderr discarded} */
    public static ContainerProcess shell(String script) {
        return Container.builder().command("sh", "-c", script)
                .stdin(Stdio.DISCARD).stdout(Stdio.PIPE).stderr(Stdio.DISCARD)
                .build().start();
    }

    /** {@return a started container running {@code command}, all its streams discarded} */
    public static ContainerProcess quiet(String... command) {
        return Container.builder().command(command)
                .stdin(Stdio.DISCARD).stdout(Stdio.DISCARD).stderr(Stdio.DISCARD)
                .build().start();
    }

    /** Reads the first line the container prints: it says the container got where the test needs it. */
    public static String firstLine(ContainerProcess process) {
        // Byte by byte: a buffered reader could take more than the line from the stream.
        StringBuilder line = new StringBuilder();
        try {
            for (int c; (c = process.stdout().read()) >= 0 && c != '\n'; ) {
                line.append((char) c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }
}
