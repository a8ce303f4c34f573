package dev.jrun.model;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/** The controlling side of a container's pseudo-terminal. */
public interface Terminal {

    /** {@return what the container writes to its terminal} */
    InputStream output();

    /** {@return where to send what the container reads from its terminal, keystrokes for example} */
    OutputStream input();

    /**
     * Tells the container its terminal has a new size (it receives SIGWINCH).
     *
     * @param columns characters per line
     * @param rows    lines
     */
    void resize(int columns, int rows);

    /**
     * Hands the controlling side to the process listening on the Unix socket {@code socket}, as an
     * OCI runtime's {@code --console-socket} does: the descriptor travels with {@code SCM_RIGHTS},
     * the terminal's name as the message. This side keeps its own copy.
     *
     * @throws SystemCallException if the socket cannot be reached
     */
    void sendTo(Path socket);
}
