package dev.jrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;

import java.util.List;
import java.util.Optional;

/** The {@code jrun} command's entry point. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args);
        if (Boolean.getBoolean("jrun.helper.start")) {
            // ./jrun found no resident helper for this short command: the next one finds it.
            ResidentHelper.startInBackground();
        }
        System.exit(status);
    }

    /** Runs jrun with {@code args} in this JVM and {@return its exit code} (AOT training runs several). */
    static int run(String[] args) {
        if (args.length == 1 && Subcommands.VERSION_FLAGS.contains(args[0])) {
            // Engines call this often; it needs no command model, which picocli builds by reflection.
            System.out.println(String.join(System.lineSeparator(), new VersionInfo().getVersion()));
            return 0;
        }
        CommandLine commandLine = commandLine(args);
        Optional<String> unknownTopic = Subcommands.unknownHelpTopic(commandLine, args);
        if (unknownTopic.isPresent()) {
            commandLine.getErr().println("jrun: No help topic for '" + unknownTopic.get() + "'");
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        }
        try {
            return commandLine.execute(args);
        } finally {
            ((JrunCommand) commandLine.getCommand()).closeLog();
        }
    }

    /** {@return the command line configured for {@code args}} */
    static CommandLine commandLine(String[] args) {
        CommandLine commandLine = Subcommands.addTo(new CommandLine(new JrunCommand()), args)
                .setExecutionStrategy(parsed -> logged(parsed, args))
                .setExecutionExceptionHandler(new ErrorReporter())
                .setParameterExceptionHandler(new UsageErrorReporter());
        // runc's exec takes the command right after the ID, ps the host ps's: their options are theirs.
        for (String name : List.of("exec", "ps")) {
            CommandLine command = commandLine.getSubcommands().get(name);
            if (command != null) {
                command.setStopAtPositional(true);
            }
        }
        return commandLine;
    }

    /** Runs the command {@code parsed} names between a log line for its start and one for its end. */
    private static int logged(ParseResult parsed, String[] args) {
        CliLog log = ((JrunCommand) parsed.commandSpec().userObject()).log();
        if (!log.commandStarted(List.of(args))) {
            return FailureExit.of(parsed.asCommandLineList().getLast().getCommand()).code();
        }
        int exitStatus = new RunLast().execute(parsed);
        log.commandEnded(exitStatus);
        return exitStatus;
    }
}
