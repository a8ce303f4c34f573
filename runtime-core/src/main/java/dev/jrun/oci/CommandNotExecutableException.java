package dev.jrun.oci;

/**
 * The container's command cannot be executed in its root, found out at create time: the message is
 * runc's ({@code exec: "NAME": executable file not found in $PATH}, or {@code permission denied}),
 * which engines read to tell the two apart.
 */
public final class CommandNotExecutableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final boolean found;

    private CommandNotExecutableException(String message, boolean found) {
        super(message);
        this.found = found;
    }

    /** A name without a slash is in no directory of {@code PATH}. */
    static CommandNotExecutableException notInSearchPath(String name) {
        return new CommandNotExecutableException("exec: " + quoted(name) + ": executable file not found in $PATH", false);
    }

    /** A path is not there; {@code path} is where it was looked for. */
    static CommandNotExecutableException missing(String name, String path) {
        return new CommandNotExecutableException("exec: " + quoted(name) + ": stat " + path
                + ": no such file or directory", false);
    }

    /** A file is there and may not be executed (no execute permission, a {@code noexec} mount) or is a directory. */
    static CommandNotExecutableException permissionDenied(String name) {
        return new CommandNotExecutableException("exec: " + quoted(name) + ": permission denied", true);
    }

    /** {@return whether the command is there but may not be executed; otherwise it was not found} */
    public boolean found() {
        return found;
    }

    private static String quoted(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
