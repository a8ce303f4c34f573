package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun pause ID}: Freeze every process of a running container. */
@Command(name = "pause", description = "Freeze every process of a running container.")
final class PauseCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Mixin
    private ContainerId container;

    @Override
    public Integer call() {
        jrun.runtime().pause(container.id);
        return 0;
    }
}
