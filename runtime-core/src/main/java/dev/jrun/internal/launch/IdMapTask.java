package dev.jrun.internal.launch;

import dev.jrun.internal.userns.IdMapWriter;
import dev.jrun.internal.userns.IdMaps;

/** Gate work: writes the uid and gid maps of the container's new user namespace. */
final class IdMapTask implements GateTask {

    private final IdMaps maps;

    IdMapTask(IdMaps maps) {
        this.maps = maps;
    }

    @Override
    public void run(int pid) {
        IdMapWriter.write(pid, maps);
    }
}
