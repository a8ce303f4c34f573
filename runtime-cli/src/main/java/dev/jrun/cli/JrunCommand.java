package dev.jrun.cli;

import dev.jrun.oci.Freezer;
import dev.jrun.oci.OciRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jrun}: the global options runc-compatible engines pass, and the subcommands. */
@Command(name = "jrun",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionInfo.class,
        description = "A Linux container runtime for the JVM.")
final class JrunCommand implements Callable<Integer> {

    /** How log records are written. */
    enum LogFormat { text, json }

    /** Not picocli's versionHelp: a command has one such option, and that is --version. */
    @Option(names = "-v", scope = ScopeType.LOCAL, description = "Print version information and exit (runc's -v).")
    boolean versionRequested;

    @Spec
    private CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Log debug messages.")
    boolean debug;

    @Option(names = "--log", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Write log messages to FILE instead of stderr.")
    Path logFile;

    @Option(names = "--log-format", paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "text",
            description = "Log format: ${COMPLETION-CANDIDATES} (json: one object a line with level, msg and time)"
                    + " (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @Option(names = "--root", paramLabel = "DIR", scope = ScopeType.INHERIT, defaultValue = "/run/jrun",
            description = "Directory for the state of containers (default: ${DEFAULT-VALUE}).")
    Path root;

    @Option(names = "--systemd-cgroup", scope = ScopeType.INHERIT,
            description = "Use systemd to manage cgroups (runc's flag; refused: jrun writes cgroupfs itself).")
    boolean systemdCgroup;

    private CliLog log;

    /** Runs when no subcommand is named: only {@code -v} makes that a complete command line. */
    @Override
    public Integer call() {
        if (!versionRequested) {
            throw new ParameterException(spec.commandLine(), "Missing required subcommand");
        }
        spec.commandLine().printVersionHelp(System.out);
        return 0;
    }

    /** {@return the log this invocation writes to, configured from the global options} */
    CliLog log() {
        if (log == null) {
            log = CliLog.configure(debug, logFile, logFormat == LogFormat.json);
        }
        return log;
    }

    /** Closes this invocation's log, if it has one. */
    void closeLog() {
        if (log != null) {
            log.close();
        }
    }

    /** {@return the OCI runtime on the state root, its warnings and debug lines going to the log} */
    OciRuntime runtime() {
        return new OciRuntime(root, Freezer.CGROUP, log()::notice, message -> log().debug(() -> message));
    }

    /**
     * Refuses {@code --systemd-cgroup} for a command that would set up a container's cgroup.
     *
     * @throws UnsupportedOperationException when it was given
     */
    void requireCgroupDriverSupported() {
        if (systemdCgroup) {
            throw new UnsupportedOperationException("--systemd-cgroup: the systemd cgroup driver is not supported:"
                    + " jrun manages cgroups through cgroupfs only");
        }
    }
}
