package dev.jrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jrun delete [--force | --when-stopped] ID}: removes a stopped container. */
@Command(name = "delete", description = "Delete a stopped container: its state, and then its poststop hooks run.")
final class DeleteCommand extends ContainerCommand {

    @Option(names = {"-f", "--force"}, description = "Kill the container first if it still runs.")
    private boolean force;

    @Option(names = "--when-stopped", description = "Wait until the container's process ends, then delete it"
            + " (what run -d --rm leaves running); nothing if it was deleted meanwhile.")
    private boolean whenStopped;

    @Override
    public Integer call() {
        if (force && whenStopped) {
            throw new IllegalArgumentException("--force and --when-stopped do not go together: one kills the"
                    + " container, the other waits for it to end");
        }
        if (whenStopped) {
            jrun.runtime().deleteWhenStopped(id());
        } else {
            jrun.runtime().delete(id(), force);
        }
        return 0;
    }
}
