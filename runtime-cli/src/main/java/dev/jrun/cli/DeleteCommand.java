package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun delete [--force] ID}: removes a stopped container. */
@Command(name = "delete", description = "Delete a stopped container: its state, and then its poststop hooks run.")
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it still runs.")
    private boolean force;

    @Mixin
    private ContainerId container;

    @Override
    public Integer call() {
        jrun.runtime().delete(container.id, force);
        return 0;
    }
}
