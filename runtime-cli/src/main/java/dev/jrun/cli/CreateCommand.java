package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun create [OPTIONS] ID}: creates a container from a bundle; it waits for {@code start}. */
@Command(name = "create", description = {
        "Create a container from a bundle: set up, its process waiting for 'jrun start ID'.",
        "stdio is passed on to the container untouched (unless process.terminal is true)."},
        sortOptions = false)
final class CreateCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Mixin
    private ContainerId container;

    @Mixin
    private CreateOptionsMixin options;

    @Override
    public Integer call() {
        jrun.requireCgroupDriverSupported();
        jrun.runtime().create(container.id, options.toOptions());
        return 0;
    }
}
