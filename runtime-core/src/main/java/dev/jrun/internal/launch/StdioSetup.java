package dev.jrun.internal.launch;

import dev.jrun.Container;
import dev.jrun.Stdio;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Processes.Placement;
import dev.jrun.internal.sys.Sockets;
import dev.jrun.bindings.Libc;

import java.util.ArrayList;
import java.util.List;

/**
 * The descriptors a container's stdin, stdout and stderr are wired to: for
 * each stream, the end the container gets (placed at 0, 1, 2) and the end the
 * runtime keeps. Inherited streams have neither. With a terminal, the
 * container gets the console socket instead, and sends the terminal back.
 */
final class StdioSetup implements AutoCloseable {

    private static final int NONE = -1;

    private final int[] childEnds = {NONE, NONE, NONE};
    private final int[] parentEnds = {NONE, NONE, NONE};
    private int consoleChildEnd = NONE;
    private int consoleParentEnd = NONE;

    private StdioSetup() {
    }

    static StdioSetup open(Container container) {
        StdioSetup setup = new StdioSetup();
        try {
            if (container.terminal()) {
                setup.openTerminal();
            } else {
                setup.open(0, container.stdin(), true);
                setup.open(1, container.stdout(), false);
                setup.open(2, container.stderr(), false);
            }
            return setup;
        } catch (RuntimeException e) {
            setup.close();
            throw e;
        }
    }

    /** The container opens its terminal itself, in its own devpts, and sends the master side back. */
    private void openTerminal() {
        Descriptors.Pipe socket = Sockets.pair();
        consoleParentEnd = socket.readEnd();
        consoleChildEnd = Descriptors.atLeast(socket.writeEnd(), LaunchProtocol.FIRST_UNNEEDED_FD);
    }

    private void open(int stream, Stdio mode, boolean containerReads) {
        switch (mode) {
            case INHERIT -> { }
            case DISCARD -> childEnds[stream] = Descriptors.atLeast(
                    Descriptors.open("/dev/null", Libc.O_RDWR()), LaunchProtocol.FIRST_UNNEEDED_FD);
            case PIPE -> {
                Descriptors.Pipe pipe = Descriptors.pipe();
                int childEnd = containerReads ? pipe.readEnd() : pipe.writeEnd();
                parentEnds[stream] = containerReads ? pipe.writeEnd() : pipe.readEnd();
                childEnds[stream] = Descriptors.atLeast(childEnd, LaunchProtocol.FIRST_UNNEEDED_FD);
            }
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
        if (consoleChildEnd != NONE) {
            placements.add(new Placement(consoleChildEnd, LaunchProtocol.CONSOLE_FD));
        }
        return placements;
    }

    /** Closes the container's ends once the stub has them. */
    void closeChildEnds() {
        for (int fd = 0; fd < 3; fd++) {
            Descriptors.closeIfOpen(childEnds[fd]);
            childEnds[fd] = NONE;
        }
        Descriptors.closeIfOpen(consoleChildEnd);
        consoleChildEnd = NONE;
    }

    /** {@return the runtime's end of stream 0, 1 or 2, or -1; ownership passes to the caller} */
    int takeParentEnd(int stream) {
        int end = parentEnds[stream];
        parentEnds[stream] = NONE;
        return end;
    }

    /**
     * {@return the master side of the container's terminal, received from the container, or -1
     * without a terminal; ownership passes to the caller}
     */
    int takeTerminalMaster() {
        if (consoleParentEnd == NONE) {
            return NONE;
        }
        try {
            return Sockets.receiveDescriptor(consoleParentEnd).orElseThrow(() ->
                    new IllegalStateException("the container sent no terminal"));
        } finally {
            Descriptors.close(consoleParentEnd);
            consoleParentEnd = NONE;
        }
    }

    @Override
    public void close() {
        closeChildEnds();
        for (int stream = 0; stream < 3; stream++) {
            Descriptors.closeIfOpen(takeParentEnd(stream));
        }
        Descriptors.closeIfOpen(consoleParentEnd);
        consoleParentEnd = NONE;
    }
}
