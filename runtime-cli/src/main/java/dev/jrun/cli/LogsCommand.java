package dev.jrun.cli;

import dev.jrun.oci.ContainerNotFoundException;
import dev.jrun.oci.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** {@code jrun logs [-f] ID}: what a container run detached from an image wrote to stdout and stderr. */
@Command(name = "logs", description = "Print what a container run detached from an image (run -d IMAGE) wrote to"
        + " its stdout and stderr.")
final class LogsCommand extends ContainerCommand {

    /** How long to wait for more output while following: a container's output needs no quicker echo. */
    private static final long FOLLOW_POLL_MILLIS = 200;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what it writes until it stops.")
    private boolean follow;

    @Override
    public Integer call() throws InterruptedException {
        try (InputStream output = Files.newInputStream(jrun.runtime().output(id()))) {
            output.transferTo(System.out);
            while (follow && running()) {
                Thread.sleep(FOLLOW_POLL_MILLIS);
                output.transferTo(System.out);
            }
            // What it wrote between the last copy and its end.
            output.transferTo(System.out);
            System.out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("read the output of container \"" + id() + "\"", e);
        }
        return 0;
    }

    private boolean running() {
        try {
            return jrun.runtime().state(id()).status() != Status.STOPPED;
        } catch (ContainerNotFoundException deleted) {
            return false;
        }
    }
}
