package dev.jrun.resident;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.iovec;
import dev.jrun.bindings.msghdr;
import dev.jrun.internal.stub.StubImage;
import dev.jrun.internal.sys.UnixSockets;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The forwarding client: a static executable of a few hundred bytes, made of the launch stub's
 * interpreter and a fixed plan, that hands a command to a {@link ResidentServer} instead of starting
 * a JVM.
 *
 * <p>It connects to the server's socket, sends its standard input, output and error as
 * {@code SCM_RIGHTS} (the server reads its arguments from {@code /proc/PID/cmdline}), and waits: for
 * a word saying the server took the command, then for the word holding the command's exit status,
 * with which it exits. It exits {@link #UNREACHABLE} when there is no server to reach and
 * {@link #DECLINED} when the server closed the connection without taking the command; the caller
 * then runs the command itself. Those two statuses are the client's own: a server never returns them
 * for a command.
 */
public final class ResidentClient {

    /** No server listens on the socket (or the client could not send to it). */
    public static final int UNREACHABLE = 255;
    /** The server would not run this command. */
    public static final int DECLINED = 254;
    /** The server took the command and ended before it answered. */
    public static final int SERVER_LOST = 125;

    private static final String SERVER_LOST_MESSAGE = "jrun: the resident helper ended before the command did\n";
    private ResidentClient() {
    }

    /** {@return the client's executable, for a server listening on {@code socket}} */
    public static byte[] executable(Path socket) {
        return StubImage.of(plan(socket), Libc.STDERR_FILENO()).bytes();
    }

    /** {@return the system calls the client makes, as {@code jrun run --dry-run} would show a plan} */
    public static LaunchPlan plan(Path socket) {
        final int unreachable = 5;
        final int accepted = 6;
        final int exitWithStatus = 9;
        Arg connection = new Arg.ResultOf(0);
        List<Step> steps = new ArrayList<>();
        steps.add(failingTo(unreachable, "a socket to reach the resident helper", Syscall.SOCKET,
                new Arg.Value(Libc.AF_UNIX(), "AF_UNIX"),
                new Arg.Value(Libc.SOCK_SEQPACKET() | Libc.SOCK_CLOEXEC(), "SOCK_SEQPACKET|SOCK_CLOEXEC"),
                new Arg.Value(0, "0")));
        Arg.Bytes address = socketAddress(socket);
        steps.add(failingTo(unreachable, "connect to the resident helper", Syscall.CONNECT,
                connection, address, new Arg.Value(address.bytes().length, Integer.toString(address.bytes().length))));
        steps.add(failingTo(unreachable, "send stdin, stdout and stderr to the resident helper", Syscall.SENDMSG,
                connection, standardDescriptorsMessage(), new Arg.Value(Libc.MSG_NOSIGNAL(), "MSG_NOSIGNAL")));
        steps.add(readWord(connection, 4, accepted, "wait until the resident helper takes the command"));
        steps.add(exit(DECLINED, "the resident helper declined the command: the caller runs it"));
        steps.add(exit(UNREACHABLE, "no resident helper: the caller runs the command"));
        steps.add(readWord(connection, exitWithStatus, exitWithStatus, "wait for the command's exit status"));
        byte[] lost = SERVER_LOST_MESSAGE.getBytes(StandardCharsets.UTF_8);
        steps.add(new Step(Syscall.WRITE, List.of(new Arg.Value(Libc.STDERR_FILENO(), "2"),
                new Arg.Bytes(lost, '"' + SERVER_LOST_MESSAGE.strip() + "\\n\""),
                new Arg.Value(lost.length, Integer.toString(lost.length))),
                true, Set.of(), -1, -1, false, "say that the resident helper was lost"));
        steps.add(exit(SERVER_LOST, "the resident helper was lost"));
        steps.add(new Step(Syscall.EXIT_GROUP, List.of(new Arg.ResultOf(exitWithStatus)), false, Set.of(), -1, -1,
                false, "exit with the command's status, which the step before stored here"));
        return new LaunchPlan(steps);
    }

    /** A step whose failure continues at {@code target}. */
    private static Step failingTo(int target, String description, Syscall call, Arg... args) {
        return new Step(call, List.of(args), true, Set.of(), -1, target, false, description);
    }

    /**
     * Reads one word from the connection into the result slot of step {@code into} (a step that
     * exits and so never writes its own), going on at {@code ifRead} when a word came, to the next
     * step when the connection ended or failed.
     */
    private static Step readWord(Arg connection, int into, int ifRead, String description) {
        return new Step(Syscall.READ, List.of(connection, new Arg.AddressOfResult(into),
                new Arg.Value(Long.BYTES, Integer.toString(Long.BYTES))),
                true, Set.of(), ifRead, -1, false, description);
    }

    private static Step exit(int status, String description) {
        return new Step(Syscall.EXIT_GROUP, List.of(new Arg.Value(status, Integer.toString(status))),
                false, Set.of(), -1, -1, false, description);
    }

    private static Arg.Bytes socketAddress(Path socket) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = UnixSockets.address(arena, socket);
            return new Arg.Bytes(address.toArray(ValueLayout.JAVA_BYTE), "{sa_family=AF_UNIX, sun_path=\"" + socket + "\"}");
        }
    }

    /** A {@code struct msghdr} of one byte of data and descriptors 0, 1 and 2 as {@code SCM_RIGHTS}. */
    private static Arg standardDescriptorsMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = UnixSockets.rightsControl(arena, 0, 1, 2);
            MemorySegment vector = iovec.allocate(arena);
            iovec.iov_len(vector, 1);
            Arg data = new Arg.Struct(vector.toArray(ValueLayout.JAVA_BYTE),
                    Map.of(iovec.iov_base$offset(), new Arg.Bytes(new byte[] {'j'}, "\"j\"")), "[{\"j\", 1}]");
            String rights = "[{SOL_SOCKET, SCM_RIGHTS, [0, 1, 2]}]";
            MemorySegment message = msghdr.allocate(arena);
            msghdr.msg_iovlen(message, 1);
            msghdr.msg_controllen(message, control.byteSize());
            return new Arg.Struct(message.toArray(ValueLayout.JAVA_BYTE),
                    Map.of(msghdr.msg_iov$offset(), data,
                            msghdr.msg_control$offset(), new Arg.Bytes(control.toArray(ValueLayout.JAVA_BYTE), rights)),
                    "{msg_iov=[{\"j\", 1}], msg_control=" + rights + "}");
        }
    }
}
