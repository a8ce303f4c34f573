package dev.jrun.cli;

import dev.jrun.Cgroup;
import dev.jrun.Container;
import dev.jrun.FilesystemSetup;
import dev.jrun.Foreground;
import dev.jrun.oci.CreateOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jrun run [OPTIONS] [--] COMMAND [ARG...]}: runs a command in a new
 * container, in the foreground, and exits with its exit code (128 + N when
 * signal N killed it). With {@code --bundle}, {@code jrun run -b DIR [-d] ID}
 * is runc's: create, start and (unless detached) wait for and delete the
 * container described by the bundle's config.json.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Run COMMAND in a new container and exit with its exit code.",
            "Without --rootfs the container is a sandbox of the host: its / read-only, fresh /proc,"
                    + " minimal /dev, empty /tmp, /run and /var/run, no network but loopback; its root is an"
                    + " unprivileged host user.",
            "With -b DIR: run the OCI bundle DIR as container ID (create, start, wait, delete), as runc does."},
        sortOptions = false)
final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR",
            description = "Run the OCI bundle DIR; the only parameter is then the container's ID.")
    private Path bundle;

    @Option(names = {"-d", "--detach"}, description = "With -b: return once the container runs.")
    private boolean detach;

    @Mixin
    private LaunchOptions launch;

    @Option(names = "--rootfs", paramLabel = "DIR", description = "Use DIR as the root filesystem (pivot_root into it).")
    private Path rootfs;

    @Option(names = "--hostname", paramLabel = "NAME", defaultValue = "jrun",
            description = "The container's hostname (default: ${DEFAULT-VALUE}).")
    private String hostname;

    @Option(names = {"-v", "--volume"}, paramLabel = "SRC:DST[:ro]", converter = VolumeConverter.class,
            description = "Bind the host path SRC (absolute) at DST in the container, read-only with :ro.")
    private List<FilesystemSetup.Bind> volumes = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE",
            description = "Set an environment variable (NAME alone passes this process's value).")
    private List<String> environment = new ArrayList<>();

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Start COMMAND in DIR (absolute, in the container).")
    private String workdir;

    @Option(names = {"-t", "--tty"}, description = "Run COMMAND on a new pseudo-terminal joined to this one (interactive).")
    private boolean tty;

    @Option(names = "--dry-run",
            description = "Print the system calls the launch would make and the seccomp filter, and run nothing.")
    private boolean dryRun;

    @Mixin
    private ResourceOptions resources;

    @Mixin
    private SecurityOptions security;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments (with -b: the ID).")
    private List<String> command;

    @Override
    public Integer call() {
        if (bundle != null) {
            return runBundle();
        }
        Container container = container();
        if (dryRun) {
            System.out.print(container.plan());
            System.out.printf("%nCgroup, created at the gate with these limits: %s%n", container.resources());
            return 0;
        }
        jrun.log().debug(() -> "running " + container.command() + " as hostname " + hostname);
        if (!container.resources().limitsAnything()) {
            // With limits, the launch itself fails and says why.
            Cgroup.unavailableReason().ifPresent(reason ->
                    jrun.log().notice("the container gets no cgroup of its own, so no resource limits: " + reason));
        }
        return Foreground.run(container).shellCode();
    }

    private int runBundle() {
        if (rootfs != null || !volumes.isEmpty() || !environment.isEmpty() || workdir != null || tty || dryRun
                || !hostname.equals("jrun")) {
            throw new IllegalArgumentException("with --bundle, the bundle's config.json describes the container:"
                    + " --rootfs, --hostname, -v, -e, -w, -t and --dry-run do not apply");
        }
        if (command.size() != 1) {
            throw new IllegalArgumentException("with --bundle, run takes one parameter, the container's ID; got "
                    + command.size() + ": " + String.join(" ", command));
        }
        jrun.requireCgroupDriverSupported();
        CreateOptions options = new CreateOptions(bundle, launch.pidFile(), launch.consoleSocket(),
                launch.preserveFds());
        if (detach) {
            return jrun.runtime().run(command.getFirst(), options, true).shellCode();
        }
        // Taken before the container starts: a signal sent meanwhile is kept for it.
        Foreground.takeSignals(false);
        return jrun.runtime().run(command.getFirst(), options, Foreground::follow).shellCode();
    }

    private Container container() {
        FilesystemSetup filesystem = rootfs == null ? FilesystemSetup.hostSandbox() : FilesystemSetup.rootfs(rootfs);
        for (FilesystemSetup.Bind volume : volumes) {
            filesystem = filesystem.withBind(volume.source(), volume.target(), volume.access());
        }
        if (workdir != null) {
            filesystem = filesystem.withWorkingDirectory(workdir);
        }
        // This runs on the main thread, which lives as long as jrun: the container dies with jrun.
        Container.Builder builder = Container.builder()
                .command(command)
                .hostname(hostname)
                .filesystem(security.applyTo(filesystem))
                .terminal(tty)
                .dieWithParent(true);
        resources.applyTo(builder);
        security.applyTo(builder);
        for (String variable : environment) {
            int equals = variable.indexOf('=');
            if (equals < 0) {
                String value = System.getenv(variable);
                if (value != null) {
                    builder.environment(variable, value);
                }
            } else {
                builder.environment(variable.substring(0, equals), variable.substring(equals + 1));
            }
        }
        return builder.build();
    }
}
