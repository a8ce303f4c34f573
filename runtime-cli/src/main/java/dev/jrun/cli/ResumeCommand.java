package dev.jrun.cli;

import picocli.CommandLine.Command;

/** {@code jrun resume ID}: Thaw a paused container. */
@Command(name = "resume", description = "Thaw a paused container.")
final class ResumeCommand extends ContainerCommand {

    @Override
    public Integer call() {
        jrun.runtime().resume(id());
        return 0;
    }
}
