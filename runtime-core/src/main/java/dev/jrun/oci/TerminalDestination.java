package dev.jrun.oci;

import java.nio.file.Path;
import java.util.Optional;

/** A process's terminal must go somewhere: to the console socket, or to a caller that attaches to it. */
final class TerminalDestination {

    private TerminalDestination() {
    }

    /**
     * Refuses a terminal with nowhere to go, and a console socket with no terminal to receive.
     *
     * @param terminal      whether the process gets a terminal
     * @param consoleSocket where to send it, if given
     * @param attachable    whether the caller attaches to the terminal itself (a foreground run or exec)
     * @param setting       what asked for the terminal, for messages ({@code process.terminal})
     * @throws IllegalArgumentException saying which of the two is missing
     */
    static void require(boolean terminal, Optional<Path> consoleSocket, boolean attachable, String setting) {
        if (terminal && consoleSocket.isEmpty() && !attachable) {
            throw new IllegalArgumentException(setting + " is true, but no --console-socket was given to send"
                    + " the terminal to");
        }
        if (!terminal && consoleSocket.isPresent()) {
            throw new IllegalArgumentException("--console-socket was given, but " + setting + " is false");
        }
    }
}
