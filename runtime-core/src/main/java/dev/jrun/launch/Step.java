package dev.jrun.launch;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One system call the launch stub makes.
 *
 * @param call             the system call
 * @param args             up to six arguments
 * @param mayFail          a failure does not abort the launch (the next step runs)
 * @param jumpIfPositive   index of the step to continue at when the call returns a positive
 *                         value (the parent side of {@code clone}), or -1
 * @param description      what the step does, in words; a failure is reported with it
 */
public record Step(Syscall call, List<Arg> args, boolean mayFail, int jumpIfPositive, String description) {

    /** The most arguments a Linux system call takes. */
    public static final int MAX_ARGS = 6;

    public Step {
        args = List.copyOf(args);
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException(call.name() + " given " + args.size() + " arguments");
        }
    }

    /** {@return the call as strace shows it, e.g. {@code mount("proc", "/proc", "proc", MS_NOSUID, NULL)}} */
    public String render() {
        return call.name() + args.stream().map(Arg::render).collect(Collectors.joining(", ", "(", ")"));
    }
}
