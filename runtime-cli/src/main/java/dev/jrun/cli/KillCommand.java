package dev.jrun.cli;

import dev.jrun.oci.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jrun kill [--all] ID [SIGNAL]}: sends a signal to a container. */
@Command(name = "kill", description = "Send SIGNAL (a name such as TERM or KILL, or a number; default TERM) to the"
        + " container's process.")
final class KillCommand extends ContainerCommand {

    @Option(names = {"-a", "--all"}, description = "Signal every process of the container.")
    private boolean all;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SIGNAL", defaultValue = "TERM",
            description = "The signal (default: TERM).")
    private String signal;

    @Override
    public Integer call() {
        jrun.runtime().kill(id(), Signals.parse(signal), all);
        return 0;
    }
}
