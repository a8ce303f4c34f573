package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jrun delete [--force] ID}: removes a stopped container. */
@Command(name = "delete", description = "Delete a stopped container: its state, and then its poststop hooks run.")
final class DeleteCommand extends ContainerCommand {

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it still runs.")
    private boolean force;

    @Override
    public Integer call() {
        jrun.runtime().delete(id(), force);
        return 0;
    }
}
