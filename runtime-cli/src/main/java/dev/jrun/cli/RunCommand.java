package dev.jrun.cli;

import dev.jrun.Cgroups;
import dev.jrun.Container;
import dev.jrun.Foreground;
import dev.jrun.model.Cgroup;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.oci.CreateOptions;
import dev.jrun.oci.OciRuntime;
import dev.jrun.oci.OciRuntime.AfterExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jrun run [OPTIONS] [--] COMMAND [ARG...]}: runs a command in a new
 * container, in the foreground, and exits with its exit code (128 + N when
 * signal N killed it). Where there is a bundle ({@code -b DIR}, or a
 * config.json in the current directory and no {@code --}), {@code jrun run
 * [-d] ID} is runc's: create, start and (unless detached) wait for and delete
 * the container described by the bundle's config.json. Where there is none, {@code jrun run
 * IMAGE [ARG...]} runs an image of the image store when IMAGE names one (and no {@code --} comes
 * before it).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Run COMMAND in a new container and exit with its exit code.",
            "Without --rootfs the container is a sandbox of the host: its / read-only, fresh /proc,"
                    + " minimal /dev, empty /tmp, /run and /var/run, no network but loopback; its root is an"
                    + " unprivileged host user; --network and -p give it a network.",
            "With a bundle (-b DIR, or a config.json in the current directory): run ID runs the bundle as"
                    + " container ID (create, start, wait, delete), as runc does; a command after -- is then"
                    + " still a sandbox.",
            "Without a bundle, run IMAGE [ARG...] runs an image of the image store (jrun import, jrun pull,"
                    + " jrun images; an IMAGE named with its registry, such as localhost:5000/app:1, is pulled"
                    + " when the store lacks it): its Entrypoint with ARGs (or its Cmd), Env, WorkingDir and User,"
                    + " on an overlay of its layers (or a copy of them where overlayfs cannot be mounted) whose"
                    + " writes are discarded when the container ends (unless --keep or -d keeps it), in a"
                    + " private network with outbound access (slirp4netns) and its own /etc/resolv.conf,"
                    + " /etc/hosts and /etc/hostname."},
        sortOptions = false)
final class RunCommand implements Callable<Integer>, FailureExit.Form {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR",
            description = "Run the OCI bundle DIR (default: the current directory when it holds config.json and"
                    + " no -- is given); the only parameter is then the container's ID.")
    private Path bundle;

    @Option(names = {"-d", "--detach"}, description = "With a bundle or an image: return once the container runs."
            + " An image's container, detached, writes its output to its state directory (jrun logs ID) and stays,"
            + " with its ID printed, until 'jrun delete ID' (with --rm, until it ends).")
    private boolean detach;

    @Option(names = "--name", paramLabel = "NAME", description = "With an image: the container's ID, by which list,"
            + " exec, kill, logs and delete reach it (a name in use is refused).")
    private String name;

    @Option(names = "--keep", description = "With a bundle or an image: keep the container, stopped, once its process"
            + " ended, an image's with its root and the changes in it, until 'jrun delete ID' (without --name, the"
            + " generated ID is printed to stderr once the container starts).")
    private boolean keep;

    @Option(names = "--rm", description = "With an image: remove the container and its writable layer when it"
            + " ends (what jrun does in the foreground without --keep; with -d, a jrun of its own waits for it).")
    private boolean remove;

    @Mixin
    private RootSetupOptions rootSetup;

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
    private RootFilesystemOptions rootFilesystem;

    @Mixin
    private ImageCommandOptions imageCommand;

    @Mixin
    private NetworkOptions network;

    @Mixin
    private ResourceOptions resources;

    @Mixin
    private SecurityOptions security;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The command and its arguments (with a bundle: the ID).")
    private List<String> command;

    @Spec
    private CommandSpec spec;

    /** Whether the command line names a bundle: its failures are then runc's. */
    private boolean bundleForm;

    @Override
    public FailureExit failureExit() {
        return bundleForm ? FailureExit.OCI : FailureExit.ENGINE;
    }

    @Override
    public Integer call() {
        Optional<Path> bundleDirectory = bundleDirectory();
        bundleForm = bundleDirectory.isPresent();
        if (bundleDirectory.isPresent()) {
            return runBundle(bundleDirectory.get());
        }
        Optional<ImageRun> image = firstParameterFollowsSeparator() ? Optional.empty()
                : ImageRun.named(command.getFirst(), imageCommand.storage(), jrun.log());
        if (image.isPresent()) {
            return runImage(image.get());
        }
        imageCommand.requireImage(rootfs == null ? "the host sandbox" : "--rootfs " + rootfs);
        if (detach || name != null || keep) {
            throw new IllegalArgumentException((detach ? "-d/--detach" : name != null ? "--name" : "--keep")
                    + " applies to a bundle or an image only, not to a sandbox's command");
        }
        Container container = container(Container.builder().command(command),
                rootfs == null ? FilesystemSetup.hostSandbox() : FilesystemSetup.rootfs(rootfs));
        if (dryRun) {
            System.out.print(container.plan());
            System.out.printf("%nCgroup, created at the gate with these limits: %s%n", container.resources());
            return 0;
        }
        jrun.log().debug(() -> "running " + container.command() + " as hostname " + hostname);
        if (!container.resources().limitsAnything()) {
            // With limits, the launch itself fails and says why.
            Cgroups.unavailableReason().ifPresent(reason ->
                    jrun.log().notice("the container gets no cgroup of its own, so no resource limits: " + reason));
        }
        return Foreground.run(container).shellCode();
    }

    /**
     * The rule that keeps runc's {@code cd bundle; runc run ID} apart from a sandbox's command:
     * {@code -b}, or a config.json here unless {@code --} says a command follows.
     */
    private Optional<Path> bundleDirectory() {
        if (bundle != null) {
            return Optional.of(bundle);
        }
        boolean commandFollows = spec.commandLine().getParseResult().originalArgs().contains("--");
        return !commandFollows && Files.isRegularFile(Path.of("config.json")) ? Optional.of(Path.of("")) : Optional.empty();
    }

    private int runBundle(Path bundle) {
        if (rootfs != null || !volumes.isEmpty() || !environment.isEmpty() || workdir != null || tty || dryRun
                || !hostname.equals("jrun") || network.given() || rootFilesystem.given()) {
            throw new IllegalArgumentException("with a bundle (" + bundle.toAbsolutePath() + "), its config.json"
                    + " describes the container: --rootfs, --hostname, -v, -e, -w, -t, --network, -p, --read-only, --tmpfs"
                    + " and --dry-run"
                    + " do not apply"
                    + " (a sandbox's command follows --)");
        }
        if (name != null) {
            throw new IllegalArgumentException("with a bundle (" + bundle.toAbsolutePath() + "), the container's ID"
                    + " is run's parameter: --name does not apply");
        }
        if (command.size() != 1) {
            throw new IllegalArgumentException("with a bundle (" + bundle.toAbsolutePath() + "), run takes one"
                    + " parameter, the container's ID; got " + command.size() + ": " + String.join(" ", command)
                    + " (a sandbox's command follows --)");
        }
        imageCommand.requireImage("a bundle (its config.json's process.args)");
        jrun.requireCgroupDriverSupported();
        rootSetup.logIgnored(jrun.log());
        CreateOptions options = new CreateOptions(bundle, launch.pidFile(), launch.consoleSocket(),
                launch.preserveFds());
        if (detach) {
            return jrun.runtime().run(command.getFirst(), options, true).shellCode();
        }
        // Taken before the container starts: a signal sent meanwhile is kept for it.
        Foreground.takeSignals(false);
        return jrun.runtime().run(command.getFirst(), options, keep ? AfterExit.KEEP : AfterExit.DELETE,
                Foreground::follow).shellCode();
    }

    /** {@return whether the first parameter comes after {@code --}: then it is a sandbox's command, never an image} */
    private boolean firstParameterFollowsSeparator() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int separator = args.indexOf("--");
        return separator >= 0 && command.size() <= args.size() - separator - 1;
    }

    private int runImage(ImageRun image) {
        if (rootfs != null || dryRun) {
            throw new IllegalArgumentException("--rootfs and --dry-run do not apply to an image ("
                    + image.description() + "); a sandbox's command follows --");
        }
        jrun.log().debug(() -> "running image " + image.description());
        List<String> arguments = command.subList(1, command.size());
        if (remove && keep) {
            throw new IllegalArgumentException("--rm and --keep do not go together: one removes the container when it"
                    + " ends, the other keeps it");
        }
        if (detach) {
            if (tty) {
                throw new IllegalArgumentException("-t/--tty and -d do not go together for an image: nothing of jrun"
                        + " stays to hold its terminal; read its output with 'jrun logs ID'");
            }
            Optional<Path> setsid = remove ? Optional.of(DetachedRemoval.setsid()) : Optional.empty();
            String id = name != null ? name : OciRuntime.generateId();
            OciRuntime runtime = jrun.runtime();
            image.runDetached(runtime, id, imageCommand.entrypoint(), arguments, this::configure);
            setsid.ifPresent(found -> removeWhenStopped(runtime, found, id));
            System.out.println(id);
            return 0;
        }
        if (name != null || keep) {
            String id = name != null ? name : OciRuntime.generateId();
            // Taken before the container starts: a signal sent meanwhile is kept for it.
            Foreground.takeSignals(false);
            return image.runNamed(jrun.runtime(), id, keep ? AfterExit.KEEP : AfterExit.DELETE,
                    imageCommand.entrypoint(), arguments, this::configure, name != null ? Foreground::follow : process -> {
                        // Its only mention: docker prints none, and stdout is the container's.
                        jrun.log().notice("container " + id + " is kept once it ends: 'jrun delete " + id
                                + "' removes it");
                        return Foreground.follow(process);
                    });
        }
        return image.run(imageCommand.entrypoint(), arguments, this::configure);
    }

    /** Leaves a jrun to delete the detached container {@code id} when it ends; without one, deletes it now. */
    private void removeWhenStopped(OciRuntime runtime, Path setsid, String id) {
        try {
            DetachedRemoval.start(setsid, jrun, id, runtime.output(id));
        } catch (RuntimeException e) {
            runtime.delete(id, true);
            throw e;
        }
    }

    /** {@return the container {@code builder} describes, with the filesystem and the options of the command line} */
    private Container container(Container.Builder builder, FilesystemSetup base) {
        return configure(builder, base).build();
    }

    /** {@return {@code builder} with the filesystem {@code base} and the options of the command line} */
    private Container.Builder configure(Container.Builder builder, FilesystemSetup base) {
        FilesystemSetup filesystem = base;
        for (FilesystemSetup.Bind volume : volumes) {
            filesystem = filesystem.withBind(volume.source(), volume.target(), volume.access());
        }
        if (workdir != null) {
            filesystem = filesystem.withWorkingDirectory(workdir);
        }
        filesystem = rootFilesystem.applyTo(filesystem);
        // This runs on the main thread, which lives as long as jrun: the container dies with jrun.
        builder.hostname(hostname)
                .filesystem(security.applyTo(filesystem))
                .terminal(tty)
                .dieWithParent(true);
        network.applyTo(builder);
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
        return builder;
    }
}
