package dev.jrun;

import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.internal.plan.HostFacts;
import dev.jrun.internal.plan.NamespacedSettings;
import dev.jrun.internal.seccomp.SeccompCompiler;
import dev.jrun.internal.userns.IdMapWriter;
import dev.jrun.internal.userns.IdMaps;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Network;
import dev.jrun.model.SeccompAgent;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.User;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * Turns a builder's choices into a {@link ContainerSpec} for a host, the one place where defaults are
 * resolved: checks the rules that tie choices together, gives a rootless launcher's container its
 * user namespace and maps, root's host sandbox its remapped one, and picks the seccomp profile for
 * the final capabilities. The choices are left as they were, so a variant built from them resolves
 * its own defaults.
 */
final class ContainerDefaults {

    private static final Capabilities ALL_CAPABILITIES = Capabilities.of(EnumSet.allOf(Capability.class));
    private static final String SANDBOX_USER_HINT = "; the host sandbox's root is an unprivileged host user unless"
            + " it runs as the host's root (Container.Builder.hostRoot, jrun run --host-root)";

    private final ContainerChoices<?> choices;
    private final HostFacts host;
    /** The maps of {@link Container.Builder#remappedUserNamespace()} on this host. */
    private final IdMaps remapped;
    private NamespaceSet namespaces;
    private List<IdMapping> uidMappings;
    private List<IdMapping> gidMappings;

    private ContainerDefaults(ContainerChoices<?> choices, HostFacts host) {
        this.choices = choices;
        this.host = host;
        this.remapped = IdMaps.remapped(host.ids());
        this.namespaces = choices.namespaces;
        this.uidMappings = choices.remapUids ? remapped.uids() : choices.uidMappings;
        this.gidMappings = choices.remapGids ? remapped.gids() : choices.gidMappings;
    }

    /**
     * {@return the container {@code choices} describe, on the host {@code host} describes}
     *
     * @throws IllegalArgumentException as {@link Container.Builder#build()} says
     */
    static ContainerSpec resolve(ContainerChoices<?> choices, HostFacts host) {
        return new ContainerDefaults(choices, host).resolve();
    }

    private ContainerSpec resolve() {
        checkChoices();
        boolean rootless = !host.root();
        if (choices.hostRoot) {
            requireHostRootPossible();
        }
        if (rootless && !namespaces.isolates(Namespace.USER)) {
            namespaces = namespaces.with(Namespace.USER);
        }
        boolean sandboxDefault = !rootless && !choices.hostRoot && choosesNoUserNamespace() && sandboxesHost();
        if (sandboxDefault) {
            namespaces = namespaces.with(Namespace.USER);
            uidMappings = remapped.uids();
            gidMappings = remapped.gids();
        }
        if (namespaces.creates(Namespace.USER)) {
            checkUserNamespace(sandboxDefault ? SANDBOX_USER_HINT : "");
        } else if (!uidMappings.isEmpty() || !gidMappings.isEmpty()) {
            throw new IllegalArgumentException("uid and gid mappings need a new user namespace (Namespace.USER)");
        }
        Optional<SeccompProfile> seccomp = choices.seccomp != null ? choices.seccomp
                : Optional.of(DockerDefaultProfile.of(choices.capabilities.orElse(ALL_CAPABILITIES)));
        seccomp.ifPresent(profile -> requireAgentIfNotified(profile, choices.seccompAgent));
        Network network = network();
        return new ContainerSpec(choices.command, choices.hostname, choices.domainname, namespaces,
                choices.timeOffsets, withNetworkFiles(choices.filesystem), choices.environment, choices.sysctls,
                choices.stdin, choices.stdout, choices.stderr, choices.terminal, choices.terminalColumns, choices.terminalRows, choices.resources,
                choices.cgroupPath, choices.joinedCgroup, choices.user, choices.capabilities,
                choices.noNewPrivileges, choices.securityLabels, seccomp, choices.seccompAgent, List.copyOf(choices.rlimits.values()),
                choices.oomScoreAdj, choices.personality, choices.scheduler, choices.ioPriority,
                uidMappings, gidMappings, choices.hostRoot, choices.preservedFds, choices.startGate,
                choices.setupActions, choices.beforePivotRootActions, choices.diesWithParent, network, choices.published, choices.networkFiles,
                choices.outputFile);
    }

    /**
     * {@return the network chosen, or the one the namespaces give}
     *
     * @throws IllegalArgumentException if the namespaces set later contradict it, or ports are published without
     *                                  a private network
     */
    private Network network() {
        if (choices.network.isEmpty()) {
            // Unchosen, the namespaces decide; a joined network namespace counts as none of jrun's making.
            return checkPublishing(namespaces.isolates(Namespace.NETWORK) ? Network.NONE : Network.HOST);
        }
        Network network = choices.network.get();
        if (network == Network.HOST ? namespaces.isolates(Namespace.NETWORK) : !namespaces.creates(Namespace.NETWORK)) {
            throw new IllegalArgumentException("network " + network + " does not fit the namespaces " + namespaces
                    + ", set after it: " + (network == Network.HOST ? "the host's network namespace is shared only"
                    + " without a network namespace" : "it needs a new network namespace"));
        }
        return checkPublishing(network);
    }

    private Network checkPublishing(Network network) {
        if (!choices.published.isEmpty() && network != Network.PRIVATE) {
            throw new IllegalArgumentException("publishing ports " + choices.published + " needs the private network"
                    + " (Network.PRIVATE, jrun run --network private); this container's is " + network);
        }
        return network;
    }

    /** {@return the filesystem with the network files bound over the root's, when they are asked for} */
    private FilesystemSetup withNetworkFiles(FilesystemSetup filesystem) {
        if (choices.networkFiles.isEmpty()) {
            return filesystem;
        }
        if (filesystem.rootfs().isEmpty()) {
            throw new IllegalArgumentException("network files (/etc/resolv.conf, /etc/hosts, /etc/hostname) are bound"
                    + " over a root filesystem of the container's own; the host sandbox shares the host's");
        }
        Path directory = choices.networkFiles.get();
        for (String file : ContainerSpec.NETWORK_FILES) {
            filesystem = filesystem.withBind(directory.resolve(file), "/etc/" + file, FilesystemSetup.Access.READ_WRITE);
        }
        return filesystem;
    }

    /** The rules between choices that hold on any host. */
    private void checkChoices() {
        if (choices.command.isEmpty()) {
            throw new IllegalArgumentException("no command given: a container needs a program to run");
        }
        NamespacedSettings.refusals(hostNamesSet(), choices.sysctls.keySet(), namespaces).stream().findFirst()
                .ifPresent(refused -> {
                    throw new IllegalArgumentException(refused.message());
                });
        if (choices.timeOffsets.movesAnyClock() && !namespaces.creates(Namespace.TIME)) {
            throw new IllegalArgumentException("time offsets need a new time namespace (Namespace.TIME),"
                    + " which the container neither creates nor may change when it joins one");
        }
        FilesystemSetup filesystem = choices.filesystem;
        if (filesystem.changesFilesystem() && !namespaces.creates(Namespace.MOUNT)) {
            throw new IllegalArgumentException("a container needs a new mount namespace for its filesystem setup;"
                    + " use FilesystemSetup.unchanged() to run in the one it joins");
        }
        if (!choices.sysctls.isEmpty() && !filesystem.changesFilesystem()) {
            throw new IllegalArgumentException("sysctls are set during the container's filesystem setup,"
                    + " which FilesystemSetup.unchanged() has not");
        }
        if (!choices.beforePivotRootActions.isEmpty() && !filesystem.changesFilesystem()) {
            throw new IllegalArgumentException("work before pivot_root needs a root to enter,"
                    + " which FilesystemSetup.unchanged() has not");
        }
        if (filesystem.joinsBeforePivotRoot() && !namespaces.joined().containsKey(Namespace.MOUNT)) {
            throw new IllegalArgumentException("FilesystemSetup.joiningBeforePivotRoot works in the mount namespace"
                    + " of a container it joins: join one (NamespaceSet.joiningAllOf(pid))");
        }
        if (choices.joinedCgroup.isPresent() && (choices.resources.limitsAnything() || choices.cgroupPath.isPresent())) {
            throw new IllegalArgumentException("a container that joins the cgroup "
                    + choices.joinedCgroup.get().directories()
                    + " has that cgroup's limits: it cannot have resource limits or a cgroup path of its own");
        }
    }

    private void requireHostRootPossible() {
        if (!host.root()) {
            throw new IllegalArgumentException("running as the host's root needs root; this process runs as uid "
                    + host.euid());
        }
        if (namespaces.isolates(Namespace.USER) || !uidMappings.isEmpty() || !gidMappings.isEmpty()) {
            throw new IllegalArgumentException("running as the host's root excludes a user namespace and ID mappings");
        }
    }

    /** {@return the host names the choices set, as {@link NamespacedSettings} names them} */
    private List<String> hostNamesSet() {
        List<String> set = new ArrayList<>();
        choices.hostname.ifPresent(name -> set.add(NamespacedSettings.HOSTNAME));
        choices.domainname.ifPresent(name -> set.add(NamespacedSettings.DOMAINNAME));
        return set;
    }

    private boolean choosesNoUserNamespace() {
        return !namespaces.isolates(Namespace.USER) && uidMappings.isEmpty() && gidMappings.isEmpty();
    }

    private boolean sandboxesHost() {
        return choices.filesystem.changesFilesystem() && choices.filesystem.rootfs().isEmpty();
    }

    private void checkUserNamespace(String hint) {
        if (uidMappings.isEmpty() && gidMappings.isEmpty() && !host.root()) {
            IdMaps rootless = IdMaps.rootless(host.euid(), host.egid(), host.ids());
            uidMappings = rootless.uids();
            gidMappings = rootless.gids();
        }
        IdMaps maps = new IdMaps(uidMappings, gidMappings);
        maps.validate();
        IdMapWriter.checkWritable(maps, host.euid(), host.egid(), host.ids());
        User user = choices.user;
        if (!IdMapping.anyMaps(uidMappings, user.uid())) {
            throw new IllegalArgumentException("uid " + user.uid() + " is not mapped in the container's user namespace"
                    + " (uid mappings " + uidMappings + ")" + hint);
        }
        for (long gid : user.allGids()) {
            if (!IdMapping.anyMaps(gidMappings, gid)) {
                throw new IllegalArgumentException("gid " + gid + " is not mapped in the container's user namespace"
                        + " (gid mappings " + gidMappings + ")" + hint);
            }
        }
        if (maps.setgroupsDenied(host.euid(), host.egid()) && !user.additionalGids().isEmpty()) {
            throw new IllegalArgumentException("additional groups " + user.additionalGids() + " need setgroups,"
                    + " which a user namespace mapped by an unprivileged user without newgidmap denies");
        }
    }

    /** A notified call waits for an agent: without one to give the listener to, it would wait forever. */
    private static void requireAgentIfNotified(SeccompProfile profile, Optional<SeccompAgent> agent) {
        if (agent.isEmpty() && SeccompCompiler.compile(profile).hasListener()) {
            throw new IllegalArgumentException("the seccomp profile notifies a seccomp agent (SCMP_ACT_NOTIFY), and the"
                    + " container has none to give the listener to (Container.Builder.seccompAgent)");
        }
    }
}
