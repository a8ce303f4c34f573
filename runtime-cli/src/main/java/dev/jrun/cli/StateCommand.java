package dev.jrun.cli;

import picocli.CommandLine.Command;

/** {@code jrun state ID}: prints the container's OCI state as JSON. */
@Command(name = "state", description = "Print the container's state as OCI JSON (id, status, pid, bundle...).")
final class StateCommand extends ContainerCommand {

    @Override
    public Integer call() {
        System.out.println(jrun.runtime().state(id()).toJson());
        return 0;
    }
}
