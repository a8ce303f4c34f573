package dev.jrun.cli;

import dev.jrun.oci.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun kill [--all] ID [SIGNAL]}: sends a signal to a container. */
@Command(name = "kill", description = "Send SIGNAL (a name such as TERM or KILL, or a number; default TERM) to the"
        + " container's process.")
final class KillCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-a", "--all"}, description = "Signal every process of the container.")
    private boolean all;

    @Mixin
    private ContainerId container;

    @Parameters(index = "1", paramLabel = "SIGNAL", defaultValue = "TERM", description = "The signal (default: TERM).")
    private String signal;

    @Override
    public Integer call() {
        jrun.runtime().kill(container.id, Signals.parse(signal), all);
        return 0;
    }
}
