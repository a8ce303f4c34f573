package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Processes;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * Lets a container that waits at its {@linkplain Container.Builder#startGate start gate}
 * execute its command: the second half of OCI's create/start. Any process may
 * open the gate, not only the one that started the container.
 */
public final class StartGate {

    /** What the container writes to the FIFO when its command cannot be executed: step address, errno. */
    private static final int FAILURE_RECORD = 16;

    private StartGate() {
    }

    /**
     * Opens the FIFO for reading, which releases the container, and waits until its command runs
     * ({@code execve} succeeded) or could not be executed.
     *
     * @param fifo the FIFO the container waits on
     * @param pid  the container's first process as the host sees it: if it ends before it reaches
     *             the gate, this returns with an exception instead of waiting forever
     * @throws SystemCallException   if the command could not be executed, with the errno
     * @throws IllegalStateException if the container ended before it was started
     */
    public static void open(Path fifo, int pid) {
        int pidfd = Processes.pidfdOpen(pid);
        try {
            // Non-blocking: opening for reading must not wait for a writer that may never come.
            int reader = Descriptors.open(fifo.toString(), Libc.O_RDONLY() | Libc.O_NONBLOCK());
            try {
                awaitExecution(reader, pidfd);
            } finally {
                Descriptors.close(reader);
            }
        } finally {
            Descriptors.close(pidfd);
        }
    }

    /**
     * The container's write end closes when execve succeeds (it is close-on-exec), after a failure
     * record when it fails. Poll reports the FIFO only once a writer came and went, so end of file
     * there means the command runs; the pidfd reports a container that ended first.
     */
    private static void awaitExecution(int fifo, int pidfd) {
        int eventsOfInterest = Libc.POLLIN() | Libc.POLLHUP();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment record = arena.allocate(FAILURE_RECORD, Long.BYTES);
            long received = 0;
            while (true) {
                int[] revents = Descriptors.awaitReadable(fifo, pidfd);
                if ((revents[0] & eventsOfInterest) != 0) {
                    int n = Descriptors.readAvailable(fifo, record.asSlice(received));
                    if (n == 0) {
                        if (received == 0) {
                            return;
                        }
                        throw new IllegalStateException("the container's start was cut short");
                    }
                    received += Math.max(n, 0);
                    if (received == FAILURE_RECORD) {
                        throw new SystemCallException("execute the container's command",
                                (int) record.get(ValueLayout.JAVA_LONG, Long.BYTES));
                    }
                } else if (revents[1] != 0) {
                    throw new IllegalStateException("the container ended before it was started");
                }
            }
        }
    }
}
