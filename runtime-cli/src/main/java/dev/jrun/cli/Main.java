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
        CommandLine commandLine = new CommandLine(new JrunCommand())
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(new UsageErrorReporter());
        // runc's exec takes the command right after the ID: its options are the command's.
        commandLine.getSubcommands().get("exec").setStopAtPositional(true);
        return commandLine;
    }
}
