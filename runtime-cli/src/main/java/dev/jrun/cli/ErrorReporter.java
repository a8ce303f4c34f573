package dev.jrun.cli;

import dev.jrun.model.SystemCallException;
import dev.jrun.oci.CommandNotExecutableException;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

import java.io.UncheckedIOException;

/**
 * Turns a failure into one line on stderr (and the log) and the exit code of the failed command's
 * form ({@link FailureExit}).
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        FailureExit exit = FailureExit.of(commandLine.getCommandSpec().userObject());
        if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UnsupportedOperationException || e instanceof SystemCallException
                || e instanceof UncheckedIOException)) {
            e.printStackTrace();
            return exit.code();
        }
        ((JrunCommand) commandLine.getCommandSpec().root().userObject()).log().error(message(e));
        return exitCode(e, exit);
    }

    /** An I/O failure's own message lacks the cause's: "read config.json" needs "Permission denied" too. */
    private static String message(Exception e) {
        return e instanceof UncheckedIOException io ? io.getMessage() + ": " + io.getCause().getMessage() : e.getMessage();
    }

    private static int exitCode(Exception e, FailureExit exit) {
        if (e instanceof SystemCallException failed && failed.isCommandExec()) {
            return exit.commandFailed(!failed.errnoName().equals("ENOENT"));
        }
        if (e instanceof CommandNotExecutableException notExecutable) {
            return exit.commandFailed(notExecutable.found());
        }
        return exit.code();
    }
}
