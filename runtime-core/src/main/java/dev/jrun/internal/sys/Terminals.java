package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.termios;
import dev.jrun.bindings.winsize;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.stream.IntStream;

/** Pseudo-terminals, window sizes and raw mode. */
public final class Terminals {

    private static final int PTS_NAME_MAX = 128;
    private static final int STDIN = 0;
    private static final int STDOUT = 1;

    private static final NativeFunction TCGETATTR =
            NativeFunction.of("tcgetattr", Libc::tcgetattr$address, Libc::tcgetattr$descriptor);
    private static final NativeFunction TCSETATTR =
            NativeFunction.of("tcsetattr", Libc::tcsetattr$address, Libc::tcsetattr$descriptor);

    private Terminals() {
    }

    /** A terminal size in characters. */
    public record Size(int columns, int rows) {
    }

    /** {@return the path of the terminal whose controlling side is {@code master}, such as {@code /dev/pts/0}} */
    public static String name(int master) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(PTS_NAME_MAX);
            int error = Libc.ptsname_r(master, name, PTS_NAME_MAX);
            if (error != 0) {
                throw new SystemCallException("ptsname_r(" + master + ")", error);
            }
            return name.getString(0);
        }
    }

    /**
     * {@return the size of this process's terminal, as runc sizes a container's console from it: that
     * of its stdin, else of its stdout; empty when neither is a terminal or the terminal says 0x0,
     * which means nobody sized it (a fresh pseudo-terminal, a serial line)}
     */
    public static Optional<Size> callerSize() {
        return IntStream.of(STDIN, STDOUT).mapToObj(Terminals::size).flatMap(Optional::stream)
                .filter(size -> size.columns() > 0 && size.rows() > 0)
                .findFirst();
    }

    /** {@return the size of the terminal on {@code fd}, or empty if {@code fd} is no terminal} */
    private static Optional<Size> size(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = winsize.allocate(arena);
            RawSyscall.IOCTL.call(Integer.toString(fd), fd, Libc.TIOCGWINSZ(), size.address());
            return Optional.of(new Size(Short.toUnsignedInt(winsize.ws_col(size)), Short.toUnsignedInt(winsize.ws_row(size))));
        } catch (SystemCallException e) {
            return Optional.empty();
        }
    }

    /** Sets the size of the terminal on {@code fd}; its foreground process group gets SIGWINCH. */
    public static void resize(int fd, Size size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = winsize.allocate(arena);
            winsize.ws_col(request, (short) size.columns());
            winsize.ws_row(request, (short) size.rows());
            RawSyscall.IOCTL.call(Integer.toString(fd), fd, Libc.TIOCSWINSZ(), request.address());
        }
    }

    /** {@return whether {@code fd} is a terminal} */
    public static boolean isTerminal(int fd) {
        return Libc.isatty(fd) == 1;
    }

    /**
     * Puts the terminal on {@code fd} in raw mode (no echo, no line editing, no signals from
     * keys), so every keystroke reaches the container as it is.
     *
     * @return restores the previous mode when run
     */
    public static Runnable makeRaw(int fd) {
        MemorySegment saved = termios.allocate(Arena.ofAuto());
        TCGETATTR.call(Integer.toString(fd), fd, saved);
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment raw = termios.allocate(scratch);
            raw.copyFrom(saved);
            Libc.cfmakeraw(raw);
            TCSETATTR.call(Integer.toString(fd), fd, Libc.TCSANOW(), raw);
        }
        return () -> TCSETATTR.call(Integer.toString(fd), fd, Libc.TCSANOW(), saved);
    }
}
