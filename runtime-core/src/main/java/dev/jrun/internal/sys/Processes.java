package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.posix_spawn_file_actions_t;
import dev.jrun.bindings.posix_spawnattr_t;
import dev.jrun.bindings.siginfo_t;
import dev.jrun.bindings.sigset_t;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static dev.jrun.bindings.Libc.C_INT;
import static dev.jrun.bindings.Libc.C_POINTER;
import static dev.jrun.internal.sys.NativeFunction.quote;

/** Starting, signalling and reaping processes without forking the JVM. */
public final class Processes {

    private static final NativeFunction SPAWN =
            NativeFunction.of("posix_spawn", Libc::posix_spawn$address, Libc::posix_spawn$descriptor);
    private static final NativeFunction ACTIONS_INIT = NativeFunction.of("posix_spawn_file_actions_init",
            Libc::posix_spawn_file_actions_init$address, Libc::posix_spawn_file_actions_init$descriptor);
    private static final NativeFunction ACTIONS_DUP2 = NativeFunction.of("posix_spawn_file_actions_adddup2",
            Libc::posix_spawn_file_actions_adddup2$address, Libc::posix_spawn_file_actions_adddup2$descriptor);
    private static final NativeFunction ACTIONS_DESTROY = NativeFunction.of("posix_spawn_file_actions_destroy",
            Libc::posix_spawn_file_actions_destroy$address, Libc::posix_spawn_file_actions_destroy$descriptor);
    private static final NativeFunction ATTR_INIT = NativeFunction.of("posix_spawnattr_init",
            Libc::posix_spawnattr_init$address, Libc::posix_spawnattr_init$descriptor);
    private static final NativeFunction ATTR_FLAGS = NativeFunction.of("posix_spawnattr_setflags",
            Libc::posix_spawnattr_setflags$address, Libc::posix_spawnattr_setflags$descriptor);
    private static final NativeFunction ATTR_SIGMASK = NativeFunction.of("posix_spawnattr_setsigmask",
            Libc::posix_spawnattr_setsigmask$address, Libc::posix_spawnattr_setsigmask$descriptor);
    private static final NativeFunction ATTR_SIGDEFAULT = NativeFunction.of("posix_spawnattr_setsigdefault",
            Libc::posix_spawnattr_setsigdefault$address, Libc::posix_spawnattr_setsigdefault$descriptor);
    private static final NativeFunction ATTR_DESTROY = NativeFunction.of("posix_spawnattr_destroy",
            Libc::posix_spawnattr_destroy$address, Libc::posix_spawnattr_destroy$descriptor);
    private static final NativeFunction SIGEMPTYSET =
            NativeFunction.of("sigemptyset", Libc::sigemptyset$address, Libc::sigemptyset$descriptor);
    private static final NativeFunction SIGFILLSET =
            NativeFunction.of("sigfillset", Libc::sigfillset$address, Libc::sigfillset$descriptor);
    private static final NativeFunction WAITID =
            NativeFunction.of("waitid", Libc::waitid$address, Libc::waitid$descriptor);
    private static final NativeFunction PIDFD_OPEN =
            NativeFunction.of("pidfd_open", Libc::pidfd_open$address, Libc::pidfd_open$descriptor);
    private static final NativeFunction PIDFD_GETFD =
            NativeFunction.of("pidfd_getfd", Libc::pidfd_getfd$address, Libc::pidfd_getfd$descriptor);
    private static final NativeFunction PIDFD_SEND_SIGNAL = NativeFunction.of("pidfd_send_signal",
            Libc::pidfd_send_signal$address, Libc::pidfd_send_signal$descriptor);

    private Processes() {
    }

    /** A descriptor of the JVM placed at a fixed number in the child. */
    public record Placement(int parentFd, int childFd) {
    }

    /**
     * Starts {@code path} with {@code posix_spawn}: the given descriptors placed, an empty
     * signal mask and every signal at its default action, an empty environment.
     *
     * @return the child's PID
     */
    public static int spawn(String path, List<String> argv, List<Placement> placements) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = posix_spawn_file_actions_t.allocate(arena);
            ACTIONS_INIT.callReturningError("", actions);
            try {
                for (Placement p : placements) {
                    ACTIONS_DUP2.callReturningError(p.parentFd() + " -> " + p.childFd(),
                            actions, p.parentFd(), p.childFd());
                }
                return spawn(arena, path, argv, actions);
            } finally {
                ACTIONS_DESTROY.callReturningError("", actions);
            }
        }
    }

    private static int spawn(Arena arena, String path, List<String> argv, MemorySegment actions) {
        MemorySegment attributes = posix_spawnattr_t.allocate(arena);
        ATTR_INIT.callReturningError("", attributes);
        try {
            ATTR_FLAGS.callReturningError("", attributes,
                    (short) (Libc.POSIX_SPAWN_SETSIGMASK() | Libc.POSIX_SPAWN_SETSIGDEF()));
            ATTR_SIGMASK.callReturningError("", attributes, signalSet(arena, SIGEMPTYSET));
            ATTR_SIGDEFAULT.callReturningError("", attributes, signalSet(arena, SIGFILLSET));
            MemorySegment pid = arena.allocate(C_INT);
            SPAWN.callReturningError(quote(path), pid, arena.allocateFrom(path), actions, attributes,
                    stringArray(arena, argv), stringArray(arena, List.of()));
            return pid.get(C_INT, 0);
        } finally {
            ATTR_DESTROY.callReturningError("", attributes);
        }
    }

    private static MemorySegment signalSet(Arena arena, NativeFunction initializer) {
        MemorySegment set = sigset_t.allocate(arena);
        initializer.call("", set);
        return set;
    }

    private static MemorySegment stringArray(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(C_POINTER, values.size() + 1);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(C_POINTER, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(C_POINTER, values.size(), MemorySegment.NULL);
        return array;
    }

    /** Waits for the child {@code pid} to end and reaps it. */
    public static ExitStatus waitForPid(int pid) {
        return waitFor(Libc.P_PID(), pid, "pid " + pid);
    }

    /** Waits for the child behind a pidfd to end and reaps it. */
    public static ExitStatus waitForPidfd(int pidfd) {
        return waitFor(Libc.P_PIDFD(), pidfd, "pidfd " + pidfd);
    }

    private static ExitStatus waitFor(int idType, int id, String detail) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = siginfo_t.allocate(arena);
            WAITID.callRestarting(detail, idType, id, info, Libc.WEXITED());
            MemorySegment child = siginfo_t._sifields._sigchld(siginfo_t._sifields(info));
            int status = siginfo_t._sifields._sigchld.si_status(child);
            return siginfo_t.si_code(info) == Libc.CLD_EXITED() ? ExitStatus.exited(status) : ExitStatus.killed(status);
        }
    }

    /** {@return a pidfd for the process {@code pid}, close-on-exec} */
    public static int pidfdOpen(int pid) {
        return (int) PIDFD_OPEN.call("pid " + pid, pid, 0);
    }

    /** {@return a close-on-exec duplicate of the descriptor {@code fd} of the process behind {@code pidfd}} */
    public static int pidfdGetfd(int pidfd, int fd) {
        return (int) PIDFD_GETFD.call("pidfd " + pidfd + ", fd " + fd, pidfd, fd, 0);
    }

    /** Sends {@code signal} through a pidfd; a process that already ended is not an error. */
    public static void signal(int pidfd, int signal) {
        try {
            PIDFD_SEND_SIGNAL.call("pidfd " + pidfd + ", signal " + signal, pidfd, signal, MemorySegment.NULL, 0);
        } catch (SystemCallException e) {
            if (e.errno() != Libc.ESRCH()) {
                throw e;
            }
        }
    }
}
