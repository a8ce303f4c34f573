package dev.jrun.launch;

import dev.jrun.internal.libc.Errno;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One system call the launch stub makes.
 *
 * @param call             the system call
 * @param args             up to six arguments
 * @param mayFail          a failure does not abort the launch (the next step runs)
 * @param toleratedErrnos  errno values (at most {@value #MAX_TOLERATED_ERRNO}) that do not abort the launch
 *                         either, though others do: {@code ENOENT} for a path that may be absent
 * @param jumpIfPositive   index of the step to continue at when the call returns a positive
 *                         value (the parent side of {@code clone}), or -1
 * @param jumpIfTolerated  index of the step to continue at when the call fails with one of the
 *                         tolerated errnos (what depends on a path that is absent is skipped), or
 *                         with any errno when the step may fail, or -1
 * @param againOnEagain    the call is made again when it fails with {@code EAGAIN}: {@code openat2}
 *                         fails so when a mount or rename anywhere on the host raced its
 *                         {@code RESOLVE_IN_ROOT} or {@code RESOLVE_BENEATH} walk, and the walk is
 *                         then to be repeated
 * @param description      what the step does, in words; a failure is reported with it
 */
public record Step(Syscall call, List<Arg> args, boolean mayFail, Set<Integer> toleratedErrnos,
                   int jumpIfPositive, int jumpIfTolerated, boolean againOnEagain, String description) {

    /** The most arguments a Linux system call takes. */
    public static final int MAX_ARGS = 6;
    /** Tolerated errnos are a 64-bit mask in the stub: each must be below this. */
    public static final int MAX_TOLERATED_ERRNO = 63;

    public Step {
        args = List.copyOf(args);
        toleratedErrnos = Set.copyOf(toleratedErrnos);
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException(call.name() + " given " + args.size() + " arguments");
        }
        if (jumpIfPositive >= 0 && jumpIfTolerated >= 0) {
            throw new IllegalArgumentException("step \"" + description + "\" has two jumps: a step holds one target");
        }
        if (jumpIfTolerated >= 0 && toleratedErrnos.isEmpty() && !mayFail) {
            throw new IllegalArgumentException("step \"" + description + "\" jumps on a failure but tolerates none");
        }
        for (int errno : toleratedErrnos) {
            if (errno < 1 || errno > MAX_TOLERATED_ERRNO) {
                throw new IllegalArgumentException("step \"" + description + "\" tolerates errno " + errno
                        + ": only 1.." + MAX_TOLERATED_ERRNO + " can be tolerated");
            }
        }
    }

    /**
     * {@return what decides how the stub goes on after the call, e.g. {@code  (tolerates ENOENT)} or
     * {@code  (ENOENT: goto 42)}, or empty}
     */
    public String renderConditions() {
        String conditions = jumpIfPositive >= 0 ? " > 0 ? goto " + jumpIfPositive : "";
        if (againOnEagain) {
            conditions += " (EAGAIN: again)";
        }
        if (mayFail) {
            conditions += jumpIfTolerated >= 0 ? " (fails: goto " + jumpIfTolerated + ")" : " (may fail)";
        }
        if (!toleratedErrnos.isEmpty()) {
            String errnos = toleratedErrnos.stream().sorted().map(Errno::name).collect(Collectors.joining(", "));
            conditions += jumpIfTolerated >= 0 ? " (" + errnos + ": goto " + jumpIfTolerated + ")"
                    : " (tolerates " + errnos + ")";
        }
        return conditions;
    }

    /** {@return the call as strace shows it, e.g. {@code mount("proc", "/proc", "proc", MS_NOSUID, NULL)}} */
    public String render() {
        return call.name() + args.stream().map(Arg::render).collect(Collectors.joining(", ", "(", ")"));
    }
}
