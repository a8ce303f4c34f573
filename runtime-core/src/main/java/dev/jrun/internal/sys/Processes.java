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
            check("posix_spawn_file_actions_init", Libc.posix_spawn_file_actions_init(actions));
            try {
                for (Placement p : placements) {
                    check("posix_spawn_file_actions_adddup2(" + p.parentFd() + " -> " + p.childFd() + ")",
                            Libc.posix_spawn_file_actions_adddup2(actions, p.parentFd(), p.childFd()));
                }
                return spawn(arena, path, argv, actions);
            } finally {
                Libc.posix_spawn_file_actions_destroy(actions);
            }
        }
    }

    private static int spawn(Arena arena, String path, List<String> argv, MemorySegment actions) {
        MemorySegment attributes = posix_spawnattr_t.allocate(arena);
        check("posix_spawnattr_init", Libc.posix_spawnattr_init(attributes));
        try {
            check("posix_spawnattr_setflags", Libc.posix_spawnattr_setflags(attributes,
                    (short) (Libc.POSIX_SPAWN_SETSIGMASK() | Libc.POSIX_SPAWN_SETSIGDEF())));
            // sigemptyset and sigfillset fail only on a null set.
            MemorySegment none = sigset_t.allocate(arena);
            Libc.sigemptyset(none);
            check("posix_spawnattr_setsigmask", Libc.posix_spawnattr_setsigmask(attributes, none));
            MemorySegment all = sigset_t.allocate(arena);
            Libc.sigfillset(all);
            check("posix_spawnattr_setsigdefault", Libc.posix_spawnattr_setsigdefault(attributes, all));
            MemorySegment pid = arena.allocate(C_INT);
            check("posix_spawn(" + quote(path) + ")", Libc.posix_spawn(pid, arena.allocateFrom(path), actions, attributes,
                    stringArray(arena, argv), stringArray(arena, List.of())));
            return pid.get(C_INT, 0);
        } finally {
            Libc.posix_spawnattr_destroy(attributes);
        }
    }

    /**
     * The {@code posix_spawn} family returns an error number instead of setting errno, so these
     * are called through their jextract bindings, whose handles capture nothing.
     */
    private static void check(String operation, int error) {
        if (error != 0) {
            throw new SystemCallException(operation, error);
        }
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
            RawSyscall.WAITID.callRestarting(detail, idType, id, info.address(), Libc.WEXITED(), 0);
            MemorySegment child = siginfo_t._sifields._sigchld(siginfo_t._sifields(info));
            int status = siginfo_t._sifields._sigchld.si_status(child);
            return siginfo_t.si_code(info) == Libc.CLD_EXITED() ? ExitStatus.exited(status) : ExitStatus.killed(status);
        }
    }

    /** {@return a pidfd for the process {@code pid}, close-on-exec} */
    public static int pidfdOpen(int pid) {
        return (int) RawSyscall.PIDFD_OPEN.call("pid " + pid, pid, 0);
    }

    /** {@return a close-on-exec duplicate of the descriptor {@code fd} of the process behind {@code pidfd}} */
    public static int pidfdGetfd(int pidfd, int fd) {
        return (int) RawSyscall.PIDFD_GETFD.call("pidfd " + pidfd + ", fd " + fd, pidfd, fd, 0);
    }

    /** Sends {@code signal} through a pidfd; a process that already ended is not an error. */
    public static void signal(int pidfd, int signal) {
        try {
            RawSyscall.PIDFD_SEND_SIGNAL.call("pidfd " + pidfd + ", signal " + signal, pidfd, signal, 0, 0);
        } catch (SystemCallException e) {
            if (e.errno() != Libc.ESRCH()) {
                throw e;
            }
        }
    }
}
