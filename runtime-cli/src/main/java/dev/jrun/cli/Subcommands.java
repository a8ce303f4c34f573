package dev.jrun.cli;

import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;
import picocli.CommandLine.HelpCommand;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * jrun's subcommands, added to the command line lazily: picocli builds a
 * command's model by reflection, so building only the one the arguments name
 * keeps that cost off every other command's start-up. Help and completion,
 * which list them all, get them all.
 */
final class Subcommands {

    /** What asks for jrun's version: picocli's spellings and runc's {@code -v}. */
    static final List<String> VERSION_FLAGS = List.of("--version", "-V", "-v");

    /** Completion scripts cover every command, so this one needs all the others. */
    private static final String COMPLETION = "generate-completion";
    /** {@code jrun help [COMMAND]}, runc's spelling of {@code -h}: it too needs all the others. */
    private static final String HELP = "help";
    private static final List<String> NAMES = List.of("create", "start", "state", "kill", "delete", "run", "exec",
            "logs", "list", "ps", "pause", "resume", "update", "events", "spec", "features", "import", "pull", "images",
            "rmi", "image", COMPLETION, HELP);

    /** A switch, not a map of constructor references: those would load every command's class. */
    private static Object create(String name) {
        return switch (name) {
            case "create" -> new CreateCommand();
            case "start" -> new StartCommand();
            case "state" -> new StateCommand();
            case "kill" -> new KillCommand();
            case "delete" -> new DeleteCommand();
            case "run" -> new RunCommand();
            case "exec" -> new ExecCommand();
            case "logs" -> new LogsCommand();
            case "list" -> new ListCommand();
            case "ps" -> new PsCommand();
            case "pause" -> new PauseCommand();
            case "resume" -> new ResumeCommand();
            case "update" -> new UpdateCommand();
            case "events" -> new EventsCommand();
            case "spec" -> new SpecCommand();
            case "features" -> new FeaturesCommand();
            case "import" -> new ImportCommand();
            case "pull" -> new PullCommand();
            case "images" -> new ImagesCommand();
            case "rmi" -> new RmiCommand();
            case "image" -> new ImageCommand();
            case COMPLETION -> new GenerateCompletion();
            case HELP -> new HelpCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    private Subcommands() {
    }

    /**
     * Adds to {@code jrun} the subcommand {@code args} names; none for {@code --version}; every
     * one otherwise (help lists them, and an unknown name is reported against them).
     */
    static CommandLine addTo(CommandLine jrun, String[] args) {
        Optional<String> named = named(jrun, args);
        if (named.isPresent() && NAMES.contains(named.get()) && !List.of(COMPLETION, HELP).contains(named.get())) {
            jrun.addSubcommand(named.get(), create(named.get()));
        } else if (named.isPresent() || !asksForVersion(args)) {
            NAMES.forEach(name -> jrun.addSubcommand(name, create(name)));
        }
        CommandLine run = jrun.getSubcommands().get("run");
        if (run != null) {
            // As docker's and runc's: options end at the first parameter (IMAGE or ID), so
            // "run busybox sh -c CMD" passes -c to the container.
            run.setStopAtPositional(true);
        }
        return jrun;
    }

    private static boolean asksForVersion(String[] args) {
        return Arrays.stream(args).anyMatch(VERSION_FLAGS::contains)
                && Arrays.stream(args).noneMatch(arg -> arg.equals("--help") || arg.equals("-h"));
    }

    /**
     * {@return the unknown command {@code args} ask help for, as in {@code jrun foo -h}} picocli
     * would print jrun's help and succeed, where runc fails ("No help topic for 'foo'").
     */
    static Optional<String> unknownHelpTopic(CommandLine jrun, String[] args) {
        boolean help = Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
        return help ? named(jrun, args).filter(name -> !NAMES.contains(name)) : Optional.empty();
    }

    /** {@return the first argument that is neither a global option nor an option's value} */
    private static Optional<String> named(CommandLine jrun, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                return Optional.of(arg);
            }
            OptionSpec option = jrun.getCommandSpec().findOption(arg);
            if (option != null && option.arity().min() > 0 && !arg.contains("=")) {
                i++;
            }
        }
        return Optional.empty();
    }
}
