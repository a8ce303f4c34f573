package dev.jrun.cli;

import dev.jrun.oci.CreateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code jrun create [OPTIONS] ID}: creates a container from a bundle; it waits for {@code start}. */
@Command(name = "create", description = {
        "Create a container from a bundle: set up, its process waiting for 'jrun start ID'.",
        "stdio is passed on to the container untouched (unless process.terminal is true)."},
        sortOptions = false)
final class CreateCommand extends ContainerCommand {

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", defaultValue = ".",
            description = "The bundle: the directory holding config.json (default: the current directory).")
    private Path bundle;

    @Mixin
    private LaunchOptions launch;

    @Mixin
    private RootSetupOptions rootSetup;

    @Override
    public Integer call() {
        jrun.requireCgroupDriverSupported();
        rootSetup.logIgnored(jrun.log());
        jrun.runtime().create(id(), new CreateOptions(bundle, launch.pidFile(), launch.consoleSocket(),
                launch.preserveFds()));
        return 0;
    }
}
