package dev.jrun.cli;

import dev.jrun.model.SystemCallException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns a failure into one line on stderr (and the log) and an exit code:
 * 127 when the command does not exist, 126 when it cannot be executed, 125
 * for every other failure of jrun itself, as docker and podman do.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int RUNTIME_FAILED = 125;
    static final int COMMAND_NOT_EXECUTABLE = 126;
    static final int COMMAND_NOT_FOUND = 127;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || e instanceof SystemCallException
                || e instanceof UncheckedIOException)) {
            e.printStackTrace();
            return RUNTIME_FAILED;
        }
        ((JrunCommand) commandLine.getCommandSpec().root().userObject()).log().error(message(e));
        return exitCode(e);
    }

    /** An I/O failure's own message lacks the cause's: "read config.json" needs "Permission denied" too. */
    private static String message(Exception e) {
        return e instanceof UncheckedIOException io ? io.getMessage() + ": " + io.getCause().getMessage() : e.getMessage();
    }

    private static int exitCode(Exception e) {
        if (e instanceof SystemCallException failed && failed.isCommandExec()) {
            return failed.errnoName().equals("ENOENT") ? COMMAND_NOT_FOUND : COMMAND_NOT_EXECUTABLE;
        }
        return RUNTIME_FAILED;
    }
}
