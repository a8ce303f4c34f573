package dev.jrun.internal.launch;

import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Descriptors.Pipe;
import dev.jrun.internal.sys.Processes.Placement;

import java.util.ArrayList;
import java.util.List;

/**
 * The three pipes between the launcher and the stub: sync (launcher to stub),
 * errors and pids (stub to launcher). The stub's ends are numbered above the
 * fixed descriptors of the {@link LaunchProtocol}, so placing them with
 * {@code dup2} never overwrites one that is still to be placed.
 */
final class LaunchPipes implements AutoCloseable {

    private final List<Integer> stubEnds = new ArrayList<>();
    private final List<Integer> launcherEnds = new ArrayList<>();
    private final int syncWriteEnd;
    private final int errorReadEnd;
    private final int pidReadEnd;
    private final List<Placement> placements = new ArrayList<>();
    private final LaunchProtocol protocol;

    LaunchPipes(LaunchProtocol protocol) {
        this.protocol = protocol;
        try {
            syncWriteEnd = open(protocol.syncFd(), true);
            errorReadEnd = open(protocol.errorFd(), false);
            pidReadEnd = open(protocol.pidFd(), false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens a pipe; {@return the launcher's end}. */
    private int open(int stubFd, boolean stubReads) {
        Pipe pipe = Descriptors.pipe();
        int stubEnd = stubReads ? pipe.readEnd() : pipe.writeEnd();
        int launcherEnd = stubReads ? pipe.writeEnd() : pipe.readEnd();
        launcherEnds.add(launcherEnd);
        stubEnds.add(stubEnd);
        int placed = Descriptors.atLeast(stubEnd, protocol.firstUnneededFd());
        stubEnds.set(stubEnds.size() - 1, placed);
        placements.add(new Placement(placed, stubFd));
        return launcherEnd;
    }

    /** {@return where posix_spawn puts the stub's ends} */
    List<Placement> placements() {
        return placements;
    }

    /** Closes the stub's ends once it has them, so end of file on a pipe means the stub side is gone. */
    void closeStubEnds() {
        stubEnds.forEach(Descriptors::close);
        stubEnds.clear();
    }

    int syncWriteEnd() {
        return syncWriteEnd;
    }

    int errorReadEnd() {
        return errorReadEnd;
    }

    int pidReadEnd() {
        return pidReadEnd;
    }

    @Override
    public void close() {
        closeStubEnds();
        launcherEnds.forEach(Descriptors::close);
        launcherEnds.clear();
    }
}
