package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun start ID}: Start a created container's process. */
@Command(name = "start", description = "Start a created container's process.")
final class StartCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Mixin
    private ContainerId container;

    @Override
    public Integer call() {
        jrun.runtime().start(container.id);
        return 0;
    }
}
