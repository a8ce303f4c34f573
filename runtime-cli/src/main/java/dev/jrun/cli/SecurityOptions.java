package dev.jrun.cli;

import dev.jrun.Container;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Rlimit;
import dev.jrun.model.User;
import dev.jrun.oci.SeccompProfileFile;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** {@code jrun run}'s options for who the command runs as and what it may do. */
final class SecurityOptions {

    private static final String ALL = "ALL";
    private static final String UNCONFINED = "unconfined";

    @Option(names = {"-u", "--user"}, paramLabel = "UID[:GID]", description = "Run as this user and group (numbers).")
    private String user;

    @Option(names = "--group-add", paramLabel = "GID", description = "Add a supplementary group (a number).")
    private List<Long> groups = new ArrayList<>();

    @Option(names = "--userns",
            description = "Run in a new user namespace whose root is an unprivileged host user"
                    + " (root's range in /etc/subuid, else 65536 unused IDs from 524288).")
    private boolean userns;

    @Option(names = "--host-root",
            description = "Without --rootfs, as root: run as the host's root, with no user namespace (by default the"
                    + " sandbox's root is an unprivileged host user, as with --userns).")
    private boolean hostRoot;

    @Option(names = "--share-run",
            description = "Without --rootfs: show the host's /run and /var/run, with its service sockets (read-only),"
                    + " instead of empty ones.")
    private boolean shareRun;

    @Option(names = "--unmask", paramLabel = "PATH|ALL",
            description = "Neither hide nor make read-only PATH, one of the default masked paths (/proc/kcore...) and"
                    + " read-only paths (/proc/sys...); ALL for every one. /sys stays read-only.")
    private List<String> unmask = new ArrayList<>();

    @Option(names = "--cap-add", paramLabel = "CAP",
            description = "Add a capability to Docker's default set, e.g. SYS_ADMIN (ALL for every one).")
    private List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP",
            description = "Drop a capability from Docker's default set, e.g. CHOWN (ALL for every one); drops come before adds.")
    private List<String> capDrop = new ArrayList<>();

    @Option(names = "--seccomp", paramLabel = "PROFILE|unconfined",
            description = "An OCI seccomp profile (JSON), or unconfined for no filter (default: jrun's built-in"
                    + " profile, in the spirit of Docker's).")
    private String seccomp;

    @Option(names = "--no-new-privileges", description = "Set no_new_privs: set-uid programs and file capabilities grant nothing.")
    private boolean noNewPrivileges;

    @Option(names = "--ulimit", paramLabel = "TYPE=SOFT[:HARD]", description = "Set an rlimit, e.g. nofile=1024:4096.")
    private List<String> ulimits = new ArrayList<>();

    @Option(names = "--oom-score-adj", paramLabel = "N", description = "The OOM killer's score adjustment, -1000 to 1000.")
    private Integer oomScoreAdj;

    /** {@return {@code filesystem} with the host's /run and the kernel's files exposed as the options say} */
    FilesystemSetup applyTo(FilesystemSetup filesystem) {
        if (shareRun) {
            filesystem = filesystem.withSharedRun();
        }
        if (unmask.stream().anyMatch(ALL::equalsIgnoreCase)) {
            return filesystem.withAllUnmasked();
        }
        for (String path : unmask) {
            filesystem = filesystem.withUnmasked(path);
        }
        return filesystem;
    }

    /** Applies the options given to the builder. */
    void applyTo(Container.Builder builder) {
        if (user != null || !groups.isEmpty()) {
            User base = user == null ? User.root() : User.parse(user);
            builder.user(base.withAdditionalGids(groups));
        }
        if (userns) {
            builder.remappedUserNamespace();
        }
        builder.hostRoot(hostRoot);
        builder.capabilities(capabilities());
        if (seccomp != null) {
            if (seccomp.equals(UNCONFINED)) {
                builder.seccompUnconfined();
            } else {
                builder.seccomp(SeccompProfileFile.read(Path.of(seccomp)));
            }
        }
        builder.noNewPrivileges(noNewPrivileges);
        ulimits.forEach(limit -> builder.rlimit(Rlimit.parse(limit)));
        if (oomScoreAdj != null) {
            builder.oomScoreAdj(oomScoreAdj);
        }
    }

    private Capabilities capabilities() {
        Capabilities caps = capDrop.stream().anyMatch(ALL::equalsIgnoreCase)
                ? Capabilities.none() : Capabilities.dockerDefault().dropping(parse(capDrop));
        return capAdd.stream().anyMatch(ALL::equalsIgnoreCase)
                ? caps.adding(EnumSet.allOf(Capability.class)) : caps.adding(parse(capAdd));
    }

    private static List<Capability> parse(List<String> names) {
        return names.stream().filter(name -> !name.equalsIgnoreCase(ALL)).map(Capability::parse).toList();
    }
}
