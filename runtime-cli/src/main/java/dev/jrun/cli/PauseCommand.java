package dev.jrun.cli;

import picocli.CommandLine.Command;

/** {@code jrun pause ID}: Freeze every process of a running container. */
@Command(name = "pause", description = "Freeze every process of a running container.")
final class PauseCommand extends ContainerCommand {

    @Override
    public Integer call() {
        jrun.runtime().pause(id());
        return 0;
    }
}
