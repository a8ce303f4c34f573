package dev.jrun.internal.launch;

import dev.jrun.bindings.iovec;
import dev.jrun.bindings.msghdr;
import dev.jrun.bindings.winsize;
import dev.jrun.internal.sys.Sockets.FdMessage;
import dev.jrun.launch.Arg;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.DUP3;
import static dev.jrun.launch.Syscall.IOCTL;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.SENDMSG;
import static dev.jrun.launch.Syscall.SETSID;

/**
 * The steps that give the command a terminal: a pseudo-terminal opened in the
 * container's own devpts (so {@code tty} inside names it), its terminal side
 * made stdin, stdout, stderr and the controlling terminal of a new session, and
 * its master side sent to the launcher over the console socket.
 */
final class TerminalSteps {

    private final PlanBuilder plan;
    private final int columns;
    private final int rows;

    TerminalSteps(PlanBuilder plan, int columns, int rows) {
        this.plan = plan;
        this.columns = columns;
        this.rows = rows;
    }

    /** Adds the steps; they run after the container's root is in place. */
    void add() {
        int master = plan.add("open a pseudo-terminal in the container", OPENAT, Flag.AT_FDCWD.arg(),
                text("/dev/ptmx"), Flag.all(Flag.O_RDWR, Flag.O_NOCTTY, Flag.O_CLOEXEC), number(0));
        plan.add("unlock the pseudo-terminal", IOCTL, new Arg.ResultOf(master), Flag.TIOCSPTLCK.arg(),
                new Arg.Bytes(new byte[Integer.BYTES], "[0]"));
        int terminal = plan.add("open the terminal side", IOCTL, new Arg.ResultOf(master), Flag.TIOCGPTPEER.arg(),
                Flag.all(Flag.O_RDWR, Flag.O_NOCTTY));
        plan.add("size the terminal " + columns + "x" + rows, IOCTL, new Arg.ResultOf(terminal),
                Flag.TIOCSWINSZ.arg(), windowSize());
        plan.add("number the master side " + LaunchProtocol.SENT_MASTER_FD, DUP3, new Arg.ResultOf(master),
                number(LaunchProtocol.SENT_MASTER_FD), Flag.O_CLOEXEC.arg());
        plan.add("send the master side to the runtime", SENDMSG, number(LaunchProtocol.CONSOLE_FD),
                masterMessage(), number(0));
        plan.add("close the master side", CLOSE, number(LaunchProtocol.SENT_MASTER_FD));
        plan.add("close the original master descriptor", CLOSE, new Arg.ResultOf(master));
        plan.add("close the console socket", CLOSE, number(LaunchProtocol.CONSOLE_FD));
        for (int stdio = 0; stdio < 3; stdio++) {
            plan.add("make the terminal fd " + stdio, DUP3, new Arg.ResultOf(terminal), number(stdio), number(0));
        }
        plan.add("close the spare terminal descriptor", CLOSE, new Arg.ResultOf(terminal));
        plan.add("start a session", SETSID);
        plan.add("make the terminal the controlling terminal", IOCTL, number(0), Flag.TIOCSCTTY.arg(), number(0));
    }

    /** The {@code struct msghdr} for {@code sendmsg}: one data byte and SCM_RIGHTS carrying the master. */
    private static Arg masterMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = FdMessage.of(arena, LaunchProtocol.SENT_MASTER_FD);
            MemorySegment iov = msghdr.msg_iov(message).reinterpret(iovec.sizeof());
            MemorySegment control = msghdr.msg_control(message).reinterpret(FdMessage.CONTROL_SPACE);
            Arg data = new Arg.Bytes(new byte[1], "\"\\0\"");
            Arg iovArg = new Arg.Struct(bytes(iov), Map.of(iovec.iov_base$offset(), data), "[{\"\\0\", 1}]");
            Arg controlArg = new Arg.Bytes(bytes(control), "[SOL_SOCKET, SCM_RIGHTS, [" + LaunchProtocol.SENT_MASTER_FD + "]]");
            return new Arg.Struct(bytes(message),
                    Map.of(msghdr.msg_iov$offset(), iovArg, msghdr.msg_control$offset(), controlArg),
                    "{msg_iov=[{\"\\0\", 1}], msg_control=[SOL_SOCKET, SCM_RIGHTS, [" + LaunchProtocol.SENT_MASTER_FD + "]]}");
        }
    }

    private Arg windowSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = winsize.allocate(arena);
            winsize.ws_col(size, (short) columns);
            winsize.ws_row(size, (short) rows);
            return new Arg.Bytes(bytes(size), "{ws_row=" + rows + ", ws_col=" + columns + "}");
        }
    }

    private static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }
}
