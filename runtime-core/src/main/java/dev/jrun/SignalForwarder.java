package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Terminals;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.Terminal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;

/**
 * Passes the signals this process receives on to a container's first process.
 *
 * <p>That process is the init of its PID namespace, and the kernel drops a
 * signal sent to such an init unless it has a handler for it: a plain
 * {@code sleep} would ignore SIGTERM and Ctrl-C. A shell user expects the
 * default action, termination, so a signal the container neither catches nor
 * ignores ends it with SIGKILL, and {@link #reported} tells the caller it was
 * ended by the signal that was sent (SIGTERM: 143), as it would be outside a
 * container.
 */
final class SignalForwarder implements IntConsumer {

    private final ContainerProcess process;
    private volatile int terminatedBy;

    SignalForwarder(ContainerProcess process) {
        this.process = process;
    }

    @Override
    public void accept(int signal) {
        if (signal == Libc.SIGWINCH()) {
            process.terminal().ifPresent(SignalForwarder::followSize);
        } else if (hasNoDisposition(signal)) {
            terminatedBy = signal;
            process.kill(Libc.SIGKILL());
        } else {
            process.kill(signal);
        }
    }

    /** {@return the status to report: killed by the forwarded signal when jrun ended the container for it} */
    ExitStatus reported(ExitStatus status) {
        return terminatedBy != 0 && status.equals(ExitStatus.killed(Libc.SIGKILL()))
                ? ExitStatus.killed(terminatedBy)
                : status;
    }

    /** Gives the container's terminal the size of this process's terminal. */
    static void followSize(Terminal terminal) {
        Terminals.callerSize().ifPresent(size -> terminal.resize(size.columns(), size.rows()));
    }

    /** {@return whether the first process neither catches nor ignores {@code signal} (its SigCgt and SigIgn)} */
    private boolean hasNoDisposition(int signal) {
        try {
            return Files.readAllLines(Path.of("/proc", Integer.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("SigCgt:") || line.startsWith("SigIgn:"))
                    .map(line -> new BigInteger(line.substring(line.indexOf(':') + 1).trim(), 16))
                    .noneMatch(mask -> mask.testBit(signal - 1));
        } catch (IOException e) {
            return false; // the process is gone: nothing to end
        }
    }
}
