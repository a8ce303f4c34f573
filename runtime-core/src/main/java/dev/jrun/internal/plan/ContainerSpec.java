package dev.jrun.internal.plan;

import dev.jrun.model.Capabilities;
import dev.jrun.model.Cgroup;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.IoPriority;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Network;
import dev.jrun.model.PortMapping;
import dev.jrun.model.Personality;
import dev.jrun.model.Resources;
import dev.jrun.model.Rlimit;
import dev.jrun.model.Scheduler;
import dev.jrun.model.SeccompAgent;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.SecurityLabels;
import dev.jrun.model.Stdio;
import dev.jrun.model.TimeOffsets;
import dev.jrun.model.User;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

/**
 * A container as the plan compiler and the launcher see it: every value resolved (the builder's
 * defaults for the host applied, the user namespace and its maps chosen, the seccomp profile picked),
 * nothing left to probe or decide. {@code Container.Builder} produces it; it holds no logic beyond
 * reading its own values.
 *
 * @param command          the command and its arguments
 * @param hostname         the hostname, when the container sets one
 * @param domainname       the NIS domain name, when the container sets one
 * @param namespaces       the namespaces created or joined
 * @param timeOffsets      the clock offsets of a new time namespace; none without one
 * @param filesystem       the root filesystem and mounts
 * @param environment      the command's environment, in order
 * @param sysctls          the kernel parameters set, by sysctl name, in order
 * @param stdin            where stdin comes from
 * @param stdout           where stdout goes
 * @param stderr           where stderr goes
 * @param terminal         whether the command runs on a new pseudo-terminal
 * @param terminalColumns  the terminal's initial width
 * @param terminalRows     the terminal's initial height
 * @param resources        the limits of the container's cgroup
 * @param cgroupPath       the OCI cgroupsPath, when one was given
 * @param joinedCgroup     the existing cgroup joined instead of one of its own
 * @param user             who the command runs as
 * @param capabilities     the capabilities the command keeps; empty when it keeps the launcher's
 * @param noNewPrivileges  whether no_new_privs is set
 * @param securityLabels   the AppArmor profile and SELinux label, applied where the host has the module
 * @param seccomp          the seccomp profile; empty when unconfined
 * @param seccompAgent     where the filter's listener goes, when the profile notifies an agent
 * @param rlimits          the resource limits, one per type
 * @param oomScoreAdj      the OOM score adjustment, when one is set
 * @param personality      the command's execution domain, when one is set
 * @param scheduler        the command's CPU scheduling policy, when one is set
 * @param ioPriority       the command's I/O priority, when one is set
 * @param uidMappings      the uid maps of a new user namespace; empty without one
 * @param gidMappings      the gid maps of a new user namespace; empty without one
 * @param hostRoot         whether a host sandbox started by root runs as the host's root
 * @param preservedFds     how many descriptors from 3 on the container inherits
 * @param startGate        the FIFO the container waits on before its command, when it has one
 * @param setupActions     the launcher's work while the first process waits, before its setup, in order
 * @param beforePivotRootActions the launcher's work while the first process waits with its root assembled,
 *                         before it enters it, in order
 * @param diesWithParent   whether the container is killed when the thread that starts it ends
 * @param network          how the container reaches the network
 * @param published        the ports published on the host (a host port 0 is chosen at start)
 * @param networkFiles     the host directory the container's network files are written to, when it gets them
 * @param outputFile       the host file stdout and stderr are written to, when they go to one
 */
public record ContainerSpec(List<String> command, Optional<String> hostname, Optional<String> domainname,
                            NamespaceSet namespaces, TimeOffsets timeOffsets, FilesystemSetup filesystem,
                            Map<String, String> environment,
                            Map<String, String> sysctls, Stdio stdin, Stdio stdout, Stdio stderr, boolean terminal,
                            int terminalColumns, int terminalRows, Resources resources, Optional<String> cgroupPath,
                            Optional<Cgroup> joinedCgroup, User user, Optional<Capabilities> capabilities,
                            boolean noNewPrivileges, SecurityLabels securityLabels,
                            Optional<SeccompProfile> seccomp, Optional<SeccompAgent> seccompAgent, List<Rlimit> rlimits,
                            OptionalInt oomScoreAdj, Optional<Personality> personality,
                            Optional<Scheduler> scheduler, Optional<IoPriority> ioPriority,
                            List<IdMapping> uidMappings, List<IdMapping> gidMappings,
                            boolean hostRoot, int preservedFds, Optional<Path> startGate,
                            List<IntConsumer> setupActions, List<IntConsumer> beforePivotRootActions,
                            boolean diesWithParent, Network network,
                            List<PortMapping> published, Optional<Path> networkFiles,
                            Optional<Path> outputFile) {

    /** The files below /etc that {@link #networkFiles} holds. */
    public static final List<String> NETWORK_FILES = List.of("resolv.conf", "hosts", "hostname");

    /** The search path a container gets when its environment names none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public ContainerSpec {
        command = List.copyOf(command);
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        rlimits = List.copyOf(rlimits);
        published = List.copyOf(published);
        uidMappings = List.copyOf(uidMappings);
        gidMappings = List.copyOf(gidMappings);
        setupActions = List.copyOf(setupActions);
        beforePivotRootActions = List.copyOf(beforePivotRootActions);
    }

    /** {@return the directories searched for a command given without a slash} */
    public List<String> searchPath() {
        return searchPath(environment);
    }

    /** {@return the directories searched for a command given without a slash, in {@code environment}} */
    public static List<String> searchPath(Map<String, String> environment) {
        return List.of(environment.getOrDefault("PATH", DEFAULT_PATH).split(":"));
    }
}
