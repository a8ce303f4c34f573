package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.SignalPipe;
import dev.jrun.internal.sys.Terminals;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.SystemCallException;
import dev.jrun.model.Terminal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs a container in the foreground of this process, the way a shell runs a
 * command: SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to this process are passed
 * on to the container (and end it, as they would end a command outside a
 * container, when it does not handle them), and with a {@linkplain Container#terminal() terminal}
 * this process's terminal is put in raw mode and joined to the container's,
 * whose size follows it (SIGWINCH).
 *
 * <p>This takes over process-wide signal handlers, replacing the JVM's (and, with
 * a terminal, changes this process's terminal to raw mode until the container
 * ends), so it is meant for a command-line launcher running with {@code -Xrs},
 * such as {@code jrun run}, {@code jrun run -b} and {@code jrun exec}, which
 * opt in to it. The library never calls it by itself: {@link Container#start()}
 * and {@link dev.jrun.oci.OciRuntime} leave signals and the terminal alone, and
 * {@code OciRuntime.run} and {@code exec} take {@link #follow} as an argument.
 */
public final class Foreground {

    private static final int[] FORWARDED = {Libc.SIGINT(), Libc.SIGTERM(), Libc.SIGHUP(), Libc.SIGQUIT()};
    private static final int STDIN = 0;

    private Foreground() {
    }

    /**
     * Starts the container and waits for it.
     *
     * @return how it ended
     * @throws SystemCallException if the container cannot be started
     */
    public static ExitStatus run(Container container) {
        takeSignals(container.terminal());
        try (ContainerProcess process = sizedToThisTerminal(container).start()) {
            return follow(process);
        }
    }

    /**
     * Follows a started container until it ends, relaying signals and joining this process's
     * terminal to the container's when it has one. The caller still owns (and closes) {@code process}.
     *
     * @return how it ended
     */
    public static ExitStatus follow(ContainerProcess process) {
        takeSignals(process.terminal().isPresent());
        SignalPipe signals = SignalPipe.get();
        SignalForwarder forwarder = new SignalForwarder(process);
        signals.addListener(forwarder);
        try {
            return forwarder.reported(
                    process.terminal().map(terminal -> attach(process, terminal)).orElseGet(process::waitFor));
        } finally {
            signals.removeListener(forwarder);
        }
    }

    /**
     * Takes over SIGINT, SIGTERM, SIGHUP and SIGQUIT (and SIGWINCH, with a terminal) for this
     * process. Call it before starting a container that {@link #follow} will follow: a signal that
     * arrives while the container starts is then kept for it, instead of ending this process.
     */
    public static void takeSignals(boolean terminal) {
        SignalPipe signals = SignalPipe.get();
        signals.route(FORWARDED);
        if (terminal) {
            signals.route(Libc.SIGWINCH());
        }
    }

    /** A container's terminal starts with the size of this process's terminal, when it has a known one. */
    private static Container sizedToThisTerminal(Container container) {
        return container.terminal()
                ? Terminals.callerSize().map(size -> container.toBuilder().terminalSize(size.columns(), size.rows()).build())
                        .orElse(container)
                : container;
    }

    /** Joins this process's stdin and stdout to the container's terminal until the container ends. */
    private static ExitStatus attach(ContainerProcess process, Terminal terminal) {
        Runnable restore = Terminals.isTerminal(STDIN) ? Terminals.makeRaw(STDIN) : () -> { };
        try {
            Thread input = copy("jrun-stdin", new FileInputStream(FileDescriptor.in), terminal.input());
            Thread output = copy("jrun-stdout", terminal.output(), new FileOutputStream(FileDescriptor.out));
            ExitStatus status = process.waitFor();
            output.join();
            input.interrupt();
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return process.waitFor();
        } finally {
            restore.run();
        }
    }

    /** Copies until end of input or an error (EIO: the container closed its terminal). */
    private static Thread copy(String name, InputStream from, OutputStream to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = from.read(buffer)) > 0; ) {
                    to.write(buffer, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // The other side is gone; nothing is left to copy.
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
