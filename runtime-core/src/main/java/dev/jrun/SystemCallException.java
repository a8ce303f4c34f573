package dev.jrun;

import dev.jrun.internal.sys.Errno;

/**
 * A system call, or a step of a container's launch, failed.
 *
 * <p>The message names the operation, its key argument, the errno name and the
 * errno text, for example {@code chdir("/nope"): ENOENT (No such file or
 * directory)} or {@code mount proc on /x/proc: EPERM (Operation not permitted)}.
 */
public class SystemCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    /**
     * @param operation what was attempted, with its key argument ({@code chdir("/nope")})
     * @param errno the error number the kernel or libc reported
     */
    public SystemCallException(String operation, int errno) {
        super(operation + ": " + Errno.name(errno) + " (" + Errno.description(errno) + ")");
        this.operation = operation;
        this.errno = errno;
    }

    /** {@return what was attempted, with its key argument} */
    public String operation() {
        return operation;
    }

    /** {@return the error number, as in {@code errno.h}} */
    public int errno() {
        return errno;
    }

    /** {@return the symbolic errno name, such as {@code ENOENT}} */
    public String errnoName() {
        return Errno.name(errno);
    }
}
