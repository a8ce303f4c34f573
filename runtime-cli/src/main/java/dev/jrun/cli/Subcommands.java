package dev.jrun.cli;

import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * jrun's subcommands, added to the command line lazily: picocli builds a
 * command's model by reflection, so building only the one the arguments name
 * keeps that cost off every other command's start-up. Help and completion,
 * which list them all, get them all.
 */
final class Subcommands {

    /** Completion scripts cover every command, so this one needs all the others. */
    private static final String COMPLETION = "generate-completion";
    private static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("create", CreateCommand::new);
        ALL.put("start", StartCommand::new);
        ALL.put("state", StateCommand::new);
        ALL.put("kill", KillCommand::new);
        ALL.put("delete", DeleteCommand::new);
        ALL.put("run", RunCommand::new);
        ALL.put("exec", ExecCommand::new);
        ALL.put("list", ListCommand::new);
        ALL.put("ps", PsCommand::new);
        ALL.put("pause", PauseCommand::new);
        ALL.put("resume", ResumeCommand::new);
        ALL.put("spec", SpecCommand::new);
        ALL.put("features", FeaturesCommand::new);
        ALL.put(COMPLETION, GenerateCompletion::new);
    }

    private Subcommands() {
    }

    /**
     * Adds to {@code jrun} the subcommand {@code args} names; none for {@code --version}; every
     * one otherwise (help lists them, and an unknown name is reported against them).
     */
    static CommandLine addTo(CommandLine jrun, String[] args) {
        Optional<String> named = named(jrun, args);
        if (named.isPresent() && ALL.containsKey(named.get()) && !named.get().equals(COMPLETION)) {
            jrun.addSubcommand(named.get(), ALL.get(named.get()).get());
        } else if (named.isPresent() || !asksForVersion(args)) {
            ALL.forEach((name, command) -> jrun.addSubcommand(name, command.get()));
        }
        return jrun;
    }

    private static boolean asksForVersion(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("--version") || arg.equals("-V"))
                && Arrays.stream(args).noneMatch(arg -> arg.equals("--help") || arg.equals("-h"));
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
