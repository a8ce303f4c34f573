package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun resume ID}: Thaw a paused container. */
@Command(name = "resume", description = "Thaw a paused container.")
final class ResumeCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Mixin
    private ContainerId container;

    @Override
    public Integer call() {
        jrun.runtime().resume(container.id);
        return 0;
    }
}
