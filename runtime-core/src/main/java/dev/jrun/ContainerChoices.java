package dev.jrun;

import dev.jrun.internal.cgroup.CgroupPaths;
import dev.jrun.internal.plan.Sysctls;
import dev.jrun.internal.seccomp.SeccompCompiler;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.IoPriority;
import dev.jrun.model.Namespace;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import static dev.jrun.internal.libc.CStrings.requireNoNul;

/**
 * The setters of {@link Container.Builder} and the choices they record, before any default that
 * depends on the host or on other choices is resolved ({@link ContainerDefaults} does that). Each
 * setter validates its argument at once. Generic in the builder's type so that its setters chain on
 * {@code Container.Builder}.
 *
 * @param <B> the builder
 */
abstract sealed class ContainerChoices<B extends ContainerChoices<B>> permits Container.Builder {

    private static final int MIN_OOM_SCORE_ADJ = -1000;
    private static final int MAX_OOM_SCORE_ADJ = 1000;
    private static final Pattern HOSTNAME_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final int HOSTNAME_MAX = 64;

    List<String> command = List.of();
    Optional<String> hostname = Optional.of("jrun");
    Optional<String> domainname = Optional.empty();
    NamespaceSet namespaces = NamespaceSet.isolated();
    TimeOffsets timeOffsets = TimeOffsets.none();
    FilesystemSetup filesystem = FilesystemSetup.hostSandbox();
    final Map<String, String> environment = new LinkedHashMap<>();
    final Map<String, String> sysctls = new LinkedHashMap<>();
    Stdio stdin = Stdio.INHERIT;
    Stdio stdout = Stdio.INHERIT;
    Stdio stderr = Stdio.INHERIT;
    boolean terminal;
    int terminalColumns = 80;
    int terminalRows = 24;
    Resources resources = Resources.containerDefaults();
    Optional<String> cgroupPath = Optional.empty();
    Optional<Cgroup> joinedCgroup = Optional.empty();
    User user = User.root();
    Optional<Capabilities> capabilities = Optional.of(Capabilities.dockerDefault());
    boolean noNewPrivileges;
    SecurityLabels securityLabels = SecurityLabels.none();
    /** Null until chosen: the default profile is then picked for the final capabilities at build time. */
    Optional<SeccompProfile> seccomp;
    Optional<SeccompAgent> seccompAgent = Optional.empty();
    final Map<Rlimit.Type, Rlimit> rlimits = new LinkedHashMap<>();
    OptionalInt oomScoreAdj = OptionalInt.empty();
    Optional<Personality> personality = Optional.empty();
    Optional<Scheduler> scheduler = Optional.empty();
    Optional<IoPriority> ioPriority = Optional.empty();
    List<IdMapping> uidMappings = List.of();
    List<IdMapping> gidMappings = List.of();
    /** Set by {@link #remappedUserNamespace()}: the maps are chosen for the host when the container is built. */
    boolean remapUids;
    boolean remapGids;
    boolean hostRoot;
    int preservedFds;
    Optional<Path> startGate = Optional.empty();
    final List<IntConsumer> setupActions = new ArrayList<>();
    final List<IntConsumer> beforePivotRootActions = new ArrayList<>();
    boolean diesWithParent;
    /** Empty until chosen: the namespaces alone then say whether the container has a network of its own. */
    Optional<Network> network = Optional.empty();
    final List<PortMapping> published = new ArrayList<>();
    Optional<Path> networkFiles = Optional.empty();
    Optional<Path> outputFile = Optional.empty();

    ContainerChoices() {
        environment.put("PATH", Container.DEFAULT_PATH);
        environment.put("HOME", "/root");
    }

    /** A copy of {@code other}'s choices. */
    ContainerChoices(ContainerChoices<?> other) {
        command = other.command;
        hostname = other.hostname;
        domainname = other.domainname;
        namespaces = other.namespaces;
        timeOffsets = other.timeOffsets;
        filesystem = other.filesystem;
        environment.putAll(other.environment);
        sysctls.putAll(other.sysctls);
        stdin = other.stdin;
        stdout = other.stdout;
        stderr = other.stderr;
        terminal = other.terminal;
        terminalColumns = other.terminalColumns;
        terminalRows = other.terminalRows;
        resources = other.resources;
        cgroupPath = other.cgroupPath;
        joinedCgroup = other.joinedCgroup;
        user = other.user;
        capabilities = other.capabilities;
        noNewPrivileges = other.noNewPrivileges;
        securityLabels = other.securityLabels;
        seccomp = other.seccomp;
        seccompAgent = other.seccompAgent;
        rlimits.putAll(other.rlimits);
        oomScoreAdj = other.oomScoreAdj;
        personality = other.personality;
        scheduler = other.scheduler;
        ioPriority = other.ioPriority;
        uidMappings = other.uidMappings;
        gidMappings = other.gidMappings;
        remapUids = other.remapUids;
        remapGids = other.remapGids;
        hostRoot = other.hostRoot;
        preservedFds = other.preservedFds;
        startGate = other.startGate;
        setupActions.addAll(other.setupActions);
        beforePivotRootActions.addAll(other.beforePivotRootActions);
        diesWithParent = other.diesWithParent;
        network = other.network;
        published.addAll(other.published);
        networkFiles = other.networkFiles;
        outputFile = other.outputFile;
    }

    /** Sets the command; the first word is searched in {@code PATH} unless it contains a slash. */
    public B command(String... command) {
        return command(Arrays.asList(command));
    }

    /**
     * Sets the command; the first word is searched in {@code PATH} unless it contains a slash.
     *
     * @throws IllegalArgumentException if it is empty or an argument holds a NUL byte
     */
    public B command(List<String> command) {
        if (command.isEmpty() || command.getFirst().isEmpty()) {
            throw new IllegalArgumentException("no command given: a container needs a program to run");
        }
        for (int i = 0; i < command.size(); i++) {
            requireNoNul("command argument " + i, command.get(i));
        }
        this.command = List.copyOf(command);
        return self();
    }

    /**
     * Sets the hostname (needs a UTS namespace apart from the host's, new or joined).
     *
     * @throws IllegalArgumentException if it is not a valid RFC 1123 host name of at most 64 characters
     */
    public B hostname(String hostname) {
        this.hostname = Optional.of(requireHostName("hostname", hostname));
        return self();
    }

    /**
     * Sets the NIS domain name (needs a UTS namespace apart from the host's, new or joined).
     *
     * @throws IllegalArgumentException if it is not a valid RFC 1123 name of at most 64 characters
     */
    public B domainname(String domainname) {
        this.domainname = Optional.of(requireHostName("domainname", domainname));
        return self();
    }

    private static String requireHostName(String what, String name) {
        if (name.isEmpty() || name.length() > HOSTNAME_MAX
                || !Arrays.stream(name.split("\\.", -1)).allMatch(l -> HOSTNAME_LABEL.matcher(l).matches())) {
            throw new IllegalArgumentException("invalid " + what + " \"" + name
                    + "\": use letters, digits, '-' and '.', at most " + HOSTNAME_MAX
                    + " characters, no label starting or ending with '-'");
        }
        return name;
    }

    /** Keeps the hostname the UTS namespace starts with (the host's, when the namespace is new). */
    public B inheritHostname() {
        this.hostname = Optional.empty();
        return self();
    }

    /**
     * Sets which namespaces are created or joined. A filesystem setup needs a new mount
     * namespace; {@link FilesystemSetup#unchanged()} goes with a joined or shared one.
     */
    public B namespaces(NamespaceSet namespaces) {
        this.namespaces = Objects.requireNonNull(namespaces);
        return self();
    }

    /**
     * Sets how the container reaches the network: {@link Network#HOST} shares the host's network
     * namespace, {@link Network#NONE} and {@link Network#PRIVATE} give it one of its own (with
     * loopback only, or with outbound access through slirp4netns); it replaces the network
     * namespace of {@link #namespaces(NamespaceSet)}. Without this call the container has a namespace of its own
     * with loopback only, unless {@link #namespaces(NamespaceSet)} says otherwise.
     */
    public B network(Network network) {
        this.network = Optional.of(network);
        namespaces = network == Network.HOST ? namespaces.without(Namespace.NETWORK) : namespaces.with(Namespace.NETWORK);
        return self();
    }

    /**
     * Publishes the container's TCP port {@code containerPort} on a free port of the host's
     * 127.0.0.1, which {@link ContainerProcess#publishedAddress(int)} tells once it runs. Needs
     * {@link Network#PRIVATE}.
     */
    public B publish(int containerPort) {
        return publish(PortMapping.onLoopback(containerPort));
    }

    /** Publishes a port of the container on the host, as {@code jrun run -p} does. Needs {@link Network#PRIVATE}. */
    public B publish(PortMapping mapping) {
        published.add(Objects.requireNonNull(mapping));
        return self();
    }

    /**
     * Gives the container its own {@code /etc/resolv.conf}, {@code /etc/hosts} and {@code
     * /etc/hostname}, as podman does: written for its network and hostname into {@code directory}
     * (an existing directory of the host, owned by the caller) when it starts, and bound over the
     * root's. Needs a root filesystem of its own ({@link FilesystemSetup#rootfs}).
     */
    public B networkFiles(Path directory) {
        this.networkFiles = Optional.of(directory.toAbsolutePath());
        return self();
    }

    /** Sets the root filesystem, mounts and working directory. */
    public B filesystem(FilesystemSetup filesystem) {
        this.filesystem = Objects.requireNonNull(filesystem);
        return self();
    }

    /**
     * Sets one environment variable, replacing an earlier value.
     *
     * @throws IllegalArgumentException if the name is empty or holds {@code =}, or either holds a NUL byte
     */
    public B environment(String name, String value) {
        if (name.isEmpty() || name.contains("=")) {
            throw new IllegalArgumentException("invalid environment variable name \"" + name + "\"");
        }
        requireNoNul("environment variable name", name);
        requireNoNul("environment variable " + name, value);
        environment.put(name, value);
        return self();
    }

    /** Sets environment variables, replacing earlier values. */
    public B environment(Map<String, String> variables) {
        variables.forEach(this::environment);
        return self();
    }

    /** Empties the environment, defaults ({@code PATH}, {@code HOME}) included. */
    public B clearEnvironment() {
        environment.clear();
        return self();
    }

    /**
     * Sets a kernel parameter for the container, such as {@code net.ipv4.ip_forward}. Only
     * parameters that belong to one of the container's own namespaces can be set (IPC, network,
     * UTS), never one of the host's. A name with slashes uses them as separators, so dots can
     * be part of a component ({@code net/ipv4/conf/eth0.100/forwarding}).
     *
     * @throws IllegalArgumentException if the name could leave {@code /proc/sys}, or either holds a NUL byte
     */
    public B sysctl(String name, String value) {
        Sysctls.path(requireNoNul("sysctl name", name));
        requireNoNul("sysctl " + name, value);
        sysctls.put(name, value);
        return self();
    }

    /**
     * Passes this process's descriptors 3 to 3+count-1 on to the container, at the same
     * numbers (as systemd's socket activation does).
     */
    public B preservedFds(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("preserved descriptors cannot be negative: " + count);
        }
        this.preservedFds = count;
        return self();
    }

    /**
     * Makes the container stop before it executes its command: once set up completely, it
     * opens {@code fifo} (an existing FIFO) for writing, which blocks until {@link
     * StartGate#open} opens it for reading; {@link Container#start()} returns as soon as the
     * container waits there. This is the OCI create/start split (runc's {@code exec.fifo}). The
     * container reopens the FIFO through {@code /proc/self/fd}, so it needs a /proc.
     */
    public B startGate(Path fifo) {
        this.startGate = Optional.of(fifo.toAbsolutePath());
        return self();
    }

    /**
     * Adds work to do while the first process waits, after its namespaces exist and before it
     * sets up its filesystem (OCI's prestart and createRuntime hooks): {@code action} gets the
     * process's PID as the host sees it. An exception thrown aborts the start; the process is
     * then killed.
     */
    public B beforeSetup(IntConsumer action) {
        setupActions.add(Objects.requireNonNull(action));
        return self();
    }

    /**
     * Adds work to do once the container's root is assembled, before the first process enters it
     * with {@code pivot_root} (OCI's createContainer hooks): its mounts and devices are in place, its
     * kernel parameters, masked and read-only paths not yet. The first process waits while
     * {@code action} runs, which gets the process's PID as the host sees it; a process started
     * meanwhile with {@link FilesystemSetup#joiningBeforePivotRoot(Path)} and the container's namespaces
     * works in the assembled root. An exception thrown aborts the start; the process is then
     * killed. The container needs a filesystem of its own: {@link Container.Builder#build()} refuses
     * {@link FilesystemSetup#unchanged()} with such work.
     */
    public B beforePivotRoot(IntConsumer action) {
        beforePivotRootActions.add(Objects.requireNonNull(action));
        return self();
    }

    /**
     * Makes the container die with whoever starts it, as {@code jrun run} does: its first process
     * gets SIGKILL ({@code PR_SET_PDEATHSIG}) when its parent ends, even when SIGKILL ends the
     * parent, so the container never outlives it; in a PID namespace of its own (the default)
     * every process of the container dies with it. Its cgroup, when {@link #cgroupPath(String)} names
     * none, is named for this process, so the next jrun removes it if this process could not.
     *
     * <p>The parent is the <em>thread</em> that calls {@link Container#start()}, not this
     * process: the container is killed when that thread ends. Start it from a thread that
     * lives as long as the container should (a command line's main thread), never from a pool
     * thread that may end first. A container that must outlive its runtime (OCI {@code create})
     * does not use this.
     */
    public B dieWithParent(boolean dies) {
        this.diesWithParent = dies;
        return self();
    }

    /**
     * Sends stdout and stderr, interleaved, to {@code file}, written from its start: the output of
     * a container that outlives its runtime, which has no stream of the JVM to write to. The file
     * must exist and is opened without following a symbolic link. It replaces {@code stdout(...)} and
     * {@code stderr(...)}; a terminal replaces it.
     */
    public B outputFile(Path file) {
        this.outputFile = Optional.of(file.toAbsolutePath());
        return self();
    }

    /** Sets where stdin comes from. */
    public B stdin(Stdio stdin) {
        this.stdin = Objects.requireNonNull(stdin);
        return self();
    }

    /** Sets where stdout goes. */
    public B stdout(Stdio stdout) {
        this.stdout = Objects.requireNonNull(stdout);
        return self();
    }

    /** Sets where stderr goes. */
    public B stderr(Stdio stderr) {
        this.stderr = Objects.requireNonNull(stderr);
        return self();
    }

    /**
     * Runs the command on a new pseudo-terminal (80x24 unless sized), which replaces all three standard streams. The
     * container opens it in its own /dev/pts (through its /dev/ptmx), so the command finds its
     * terminal by name; with a filesystem setup it is also bound on /dev/console. The runtime
     * gets the controlling side ({@link ContainerProcess#terminal()}).
     */
    public B terminal(boolean terminal) {
        this.terminal = terminal;
        if (terminal) {
            environment.putIfAbsent("TERM", "xterm");
        }
        return self();
    }

    /** Sets the limits of the container's cgroup (default: {@link Resources#containerDefaults()}). */
    public B resources(Resources resources) {
        resources.validate();
        this.resources = resources;
        return self();
    }

    /**
     * Sets where the container's cgroup goes (OCI {@code cgroupsPath}): an absolute path is taken from
     * each hierarchy's root, a relative one from the cgroup the JVM runs in. Without one, jrun
     * creates {@code jrun-<random>} below the JVM's own cgroup, so a container never escapes the
     * limits of whoever started it. A cgroup that exists already is used, unless it is frozen; one
     * with processes in it is shared with them: a container with a PID namespace of its own leaves
     * them, and the cgroup, in place when it ends.
     *
     * @throws IllegalArgumentException if it is empty or contains {@code ..}
     */
    public B cgroupPath(String path) {
        CgroupPaths.validate(path);
        this.cgroupPath = Optional.of(path);
        return self();
    }

    /**
     * Runs the command in an existing cgroup instead of a new one of its own, as a process
     * executed in a running container joins that container's cgroup: the cgroup's limits apply,
     * neither {@link #resources(Resources)} nor {@link #cgroupPath(String)} are used, and the cgroup stays when
     * the command ends.
     */
    public B joinCgroup(Cgroup cgroup) {
        this.joinedCgroup = Optional.of(cgroup);
        return self();
    }

    /** Sets who the command runs as (default: root). */
    public B user(User user) {
        this.user = Objects.requireNonNull(user);
        return self();
    }

    /**
     * Sets the capabilities the command keeps (default: {@link Capabilities#dockerDefault()}).
     *
     * @throws IllegalArgumentException if the sets break a kernel rule (ambient ones must be permitted and inheritable...)
     */
    public B capabilities(Capabilities capabilities) {
        capabilities.validate();
        this.capabilities = Optional.of(capabilities);
        return self();
    }

    /** Leaves the command the launcher's capabilities (all of them, for root): no capability steps. */
    public B inheritCapabilities() {
        this.capabilities = Optional.empty();
        return self();
    }

    /** Sets no_new_privs (OCI {@code noNewPrivileges}): execve never grants privileges then. */
    public B noNewPrivileges(boolean set) {
        this.noNewPrivileges = set;
        return self();
    }

    /**
     * Sets the AppArmor profile and SELinux label the command is executed with (OCI
     * {@code process.apparmorProfile} and {@code process.selinuxLabel}); each applies only where the
     * host has its security module enabled (default: none, the launcher's).
     */
    public B securityLabels(SecurityLabels labels) {
        this.securityLabels = labels;
        return self();
    }

    /**
     * Sets the seccomp profile (default: {@link DockerDefaultProfile#of(Capabilities)} for the
     * container's capabilities).
     *
     * @throws IllegalArgumentException if the profile cannot be compiled: an unknown architecture, flag
     *                                  or action, or a system call no ABI of this machine has where
     *                                  skipping it could let the call through (see {@link SeccompProfile})
     */
    public B seccomp(SeccompProfile profile) {
        SeccompCompiler.compile(profile);
        this.seccomp = Optional.of(profile);
        return self();
    }

    /**
     * Sets the agent that gets the seccomp filter's listener when the profile notifies one
     * ({@link SeccompProfile.Action#NOTIFY}); a profile that does and has no agent is refused at
     * {@link Container.Builder#build()}. A profile that notifies nothing leaves it unused.
     */
    public B seccompAgent(SeccompAgent agent) {
        this.seccompAgent = Optional.of(agent);
        return self();
    }

    /** Runs the container without a seccomp filter, as {@code jrun run --seccomp unconfined}. */
    public B seccompUnconfined() {
        this.seccomp = Optional.empty();
        return self();
    }

    /** Sets a resource limit, replacing an earlier one of the same type (OCI {@code rlimits}). */
    public B rlimit(Rlimit limit) {
        rlimits.put(limit.type(), limit);
        return self();
    }

    /**
     * Sets the OOM killer's score adjustment (OCI {@code oomScoreAdj}); lowering it below the
     * launcher's needs CAP_SYS_RESOURCE.
     *
     * @throws IllegalArgumentException unless it is between -1000 and 1000
     */
    public B oomScoreAdj(int adjustment) {
        if (adjustment < MIN_OOM_SCORE_ADJ || adjustment > MAX_OOM_SCORE_ADJ) {
            throw new IllegalArgumentException("oom_score_adj " + adjustment + " is not between "
                    + MIN_OOM_SCORE_ADJ + " and " + MAX_OOM_SCORE_ADJ);
        }
        this.oomScoreAdj = OptionalInt.of(adjustment);
        return self();
    }

    /**
     * Sets the execution domain the command runs in (OCI {@code linux.personality}), with
     * {@code personality(2)} before {@code execve}.
     */
    public B personality(Personality personality) {
        this.personality = Optional.of(personality);
        return self();
    }

    /**
     * Sets the command's CPU scheduling policy (OCI {@code process.scheduler}), with
     * {@code sched_setattr(2)} before {@code execve}; a real-time policy, a deadline or a nice value
     * below 0 needs CAP_SYS_NICE in the host's user namespace.
     */
    public B scheduler(Scheduler scheduler) {
        this.scheduler = Optional.of(scheduler);
        return self();
    }

    /**
     * Sets the command's I/O scheduling class and priority (OCI {@code process.ioPriority}), with
     * {@code ioprio_set(2)} before {@code execve}; the real-time class needs CAP_SYS_ADMIN or CAP_SYS_NICE.
     */
    public B ioPriority(IoPriority priority) {
        this.ioPriority = Optional.of(priority);
        return self();
    }

    /**
     * Moves the clocks of the container's new time namespace (OCI {@code linux.timeOffsets});
     * the container must create one ({@link dev.jrun.model.Namespace#TIME}), which needs root.
     * The offsets are set before the namespace's first process, the only moment the kernel allows.
     */
    public B timeOffsets(TimeOffsets offsets) {
        this.timeOffsets = Objects.requireNonNull(offsets, "offsets");
        return self();
    }

    /** Sets the uid mappings of the container's new user namespace (OCI {@code linux.uidMappings}). */
    public B uidMappings(List<IdMapping> mappings) {
        this.uidMappings = List.copyOf(mappings);
        this.remapUids = false;
        return self();
    }

    /** Sets the gid mappings of the container's new user namespace (OCI {@code linux.gidMappings}). */
    public B gidMappings(List<IdMapping> mappings) {
        this.gidMappings = List.copyOf(mappings);
        this.remapGids = false;
        return self();
    }

    /**
     * Gives the container a new user namespace whose root is an unprivileged host user, as
     * {@code jrun run --userns} does: container IDs 0..65535 are the launcher's subordinate IDs
     * in /etc/subuid and /etc/subgid when it has some, otherwise 65536 host IDs from 524288 on
     * that no user, group or subordinate range of the host uses.
     */
    public B remappedUserNamespace() {
        namespaces = namespaces.with(Namespace.USER);
        uidMappings(List.of()).gidMappings(List.of());
        remapUids = true;
        remapGids = true;
        return self();
    }

    /**
     * Lets a {@linkplain FilesystemSetup#hostSandbox() host sandbox} started by root run as the
     * host's root ({@code jrun run --host-root}). By default (false) such a container, unless it
     * is given a user namespace or ID mappings, gets the user namespace of {@link
     * #remappedUserNamespace()}: its root is an unprivileged host user, who cannot read what
     * only the host's root may (/etc/shadow), write the host's root-owned files through a
     * volume, nor connect to root's sockets. Containers with another filesystem get no user
     * namespace unless asked, so this changes nothing for them.
     *
     * <p>A container that must act as the host's root (create device nodes, raise limits,
     * write files only root may through a volume) needs it.
     */
    public B hostRoot(boolean hostRoot) {
        this.hostRoot = hostRoot;
        return self();
    }

    /**
     * Sets the terminal's size before the command starts, so it never sees a 0x0 terminal.
     *
     * @throws IllegalArgumentException unless both are between 1 and 65535
     */
    public B terminalSize(int columns, int rows) {
        if (columns < 1 || rows < 1 || columns > 0xFFFF || rows > 0xFFFF) {
            throw new IllegalArgumentException("invalid terminal size " + columns + "x" + rows);
        }
        this.terminalColumns = columns;
        this.terminalRows = rows;
        return self();
    }

    /** {@return this builder, for chaining} */
    abstract B self();
}
