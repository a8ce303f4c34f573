package dev.jrun.cli;

import picocli.CommandLine.Command;

/** {@code jrun start ID}: Start a created container's process. */
@Command(name = "start", description = "Start a created container's process.")
final class StartCommand extends ContainerCommand {

    @Override
    public Integer call() {
        jrun.runtime().start(id());
        return 0;
    }
}
