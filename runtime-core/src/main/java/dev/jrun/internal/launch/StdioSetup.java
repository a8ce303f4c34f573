package dev.jrun.internal.launch;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Processes.Placement;
import dev.jrun.model.Stdio;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The descriptors a container's stdin, stdout and stderr are wired to: for
 * each stream, the end the container gets (placed at 0, 1, 2) and the end the
 * runtime keeps. Inherited streams have neither; a terminal replaces all three
 * later, in the container.
 */
final class StdioSetup implements AutoCloseable {

    private static final int NONE = -1;

    private final int[] childEnds = {NONE, NONE, NONE};
    private final int[] parentEnds = {NONE, NONE, NONE};
    private final int firstFreeFd;

    private StdioSetup(LaunchProtocol protocol) {
        this.firstFreeFd = protocol.firstUnneededFd();
    }

    static StdioSetup open(ContainerSpec container, LaunchProtocol protocol) {
        StdioSetup setup = new StdioSetup(protocol);
        try {
            if (container.terminal()) {
                setup.openTerminal();
            } else {
                refuseMerge("stdin", container.stdin());
                refuseMerge("stdout", container.stdout());
                setup.open(0, container.stdin(), true);
                if (container.outputFile().isPresent()) {
                    setup.openOutputFile(container.outputFile().get());
                } else {
                    setup.open(1, container.stdout(), false);
                    setup.open(2, container.stderr(), false);
                }
            }
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    private static void refuseMerge(String stream, Stdio mode) {
        if (mode == Stdio.STDOUT) {
            throw new IllegalArgumentException(stream + " cannot be Stdio.STDOUT: only stderr can go where stdout goes");
        }
    }

    /**
     * The container opens its terminal itself, in its own /dev/pts; until then its stdio is
     * /dev/null, so that 0, 1 and 2 are taken and the terminal's descriptors land above them.
     */
    private void openTerminal() {
        int devNull = Descriptors.atLeast(Descriptors.open("/dev/null", Libc.O_RDWR()), firstFreeFd);
        for (int fd = 0; fd < 3; fd++) {
            childEnds[fd] = devNull;
        }
    }

    /** One open file for both streams, so that they share its offset as {@code >FILE 2>&1} does. */
    private void openOutputFile(Path file) {
        int end = Descriptors.atLeast(Descriptors.open(file.toString(), Libc.O_WRONLY() | Libc.O_NOFOLLOW()),
                firstFreeFd);
        childEnds[1] = end;
        childEnds[2] = end;
    }

    private void open(int stream, Stdio mode, boolean containerReads) {
        switch (mode) {
            case INHERIT -> { }
            case DISCARD -> childEnds[stream] = Descriptors.atLeast(
                    Descriptors.open("/dev/null", Libc.O_RDWR()), firstFreeFd);
            case PIPE -> {
                Descriptors.Pipe pipe = Descriptors.pipe();
                int childEnd = containerReads ? pipe.readEnd() : pipe.writeEnd();
                parentEnds[stream] = containerReads ? pipe.writeEnd() : pipe.readEnd();
                childEnds[stream] = Descriptors.atLeast(childEnd, firstFreeFd);
            }
            // stdout's end when it has one; when it is inherited, the JVM's own stdout.
            case STDOUT -> childEnds[stream] = childEnds[1] == NONE ? 1 : childEnds[1];
        }
    }

    /** {@return where posix_spawn puts the container's ends} */
    List<Placement> placements() {
        List<Placement> placements = new ArrayList<>();
        for (int fd = 0; fd < 3; fd++) {
            if (childEnds[fd] != NONE) {
                placements.add(new Placement(childEnds[fd], fd));
            }
        }
        return placements;
    }

    /** Closes the container's ends once the stub has them (one end may serve several streams). */
    void closeChildEnds() {
        Set<Integer> ends = new HashSet<>();
        for (int fd = 0; fd < 3; fd++) {
            // The JVM's own stdout, placed as the container's stderr, is not the launcher's to close.
            if (childEnds[fd] != NONE && childEnds[fd] != 1) {
                ends.add(childEnds[fd]);
            }
            childEnds[fd] = NONE;
        }
        ends.forEach(Descriptors::close);
    }

    /** {@return the runtime's end of stream 0, 1 or 2, or -1; ownership passes to the caller} */
    int takeParentEnd(int stream) {
        int end = parentEnds[stream];
        parentEnds[stream] = NONE;
        return end;
    }

    @Override
    public void close() {
        closeChildEnds();
        for (int stream = 0; stream < 3; stream++) {
            Descriptors.closeIfOpen(takeParentEnd(stream));
        }
    }
}
