package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code jrun state ID}: prints the container's OCI state as JSON. */
@Command(name = "state", description = "Print the container's state as OCI JSON (id, status, pid, bundle...).")
final class StateCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Mixin
    private ContainerId container;

    @Override
    public Integer call() {
        System.out.println(jrun.runtime().state(container.id).toJson());
        return 0;
    }
}
