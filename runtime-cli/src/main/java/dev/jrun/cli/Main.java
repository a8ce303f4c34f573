package dev.jrun.cli;

import picocli.CommandLine;

/** The {@code jrun} command's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@return the configured command line, also used by tests} */
    static CommandLine commandLine() {
        return new CommandLine(new JrunCommand())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(new UsageErrorReporter());
    }
}
