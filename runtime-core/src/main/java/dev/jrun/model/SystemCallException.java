package dev.jrun.model;

import dev.jrun.internal.libc.Errno;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;

/**
 * A system call, or a step of a container's launch, failed.
 *
 * <p>The message names the operation, its key argument, the errno name and the
 * errno text, for example {@code chdir("/nope"): ENOENT (No such file or
 * directory)} or {@code mount proc on /x/proc: EPERM (Operation not permitted)}.
 * {@link #isCommandExec()} tells the {@code execve} of the container's command
 * apart (a shell says 127 when it is ENOENT, 126 otherwise).
 */
public class SystemCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final boolean commandExec;

    /**
     * @param operation what was attempted, with its key argument ({@code chdir("/nope")})
     * @param errno the error number the kernel or libc reported
     */
    public SystemCallException(String operation, int errno) {
        this(operation, errno, false);
    }

    /**
     * A step of a launch plan failed; an {@code execve} step is the container's command.
     *
     * @param step  the step, whose description names the operation
     * @param errno the error number the step returned
     */
    public SystemCallException(Step step, int errno) {
        this(step.description(), errno, step.call().equals(Syscall.EXECVE));
    }

    private SystemCallException(String operation, int errno, boolean commandExec) {
        this.operation = operation;
        this.errno = errno;
        this.commandExec = commandExec;
    }

    /**
     * {@return the operation, the errno name and its text}
     *
     * <p>Built when asked for, not when thrown: naming the errno asks libc, and a failure the
     * caller expects and handles (an {@code rmdir} of a directory already gone) should not link
     * that call in a fresh JVM.
     */
    @Override
    public String getMessage() {
        return operation + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")";
    }

    /**
     * {@return the failure of the container's command to execute}
     *
     * @param operation the {@code execve}, with the command ({@code execve /bin/sh})
     * @param errno     the error number it failed with
     */
    public static SystemCallException ofCommandExec(String operation, int errno) {
        return new SystemCallException(operation, errno, true);
    }

    /** {@return what was attempted, with its key argument} */
    public String operation() {
        return operation;
    }

    /** {@return the error number, as in {@code errno.h}} */
    public int errno() {
        return errno;
    }

    /** {@return whether this is the {@code execve} of the container's command: it could not be run} */
    public boolean isCommandExec() {
        return commandExec;
    }

    /** {@return the symbolic errno name, such as {@code ENOENT}} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
