package dev.jrun;

import java.io.InputStream;
import java.io.OutputStream;

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
}
