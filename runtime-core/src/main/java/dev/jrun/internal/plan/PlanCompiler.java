package dev.jrun.internal.plan;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.ifreq;
import dev.jrun.bindings.winsize;
import dev.jrun.internal.flags.Flag;
import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.seccomp.SeccompCompiler;
import dev.jrun.internal.seccomp.SeccompFilter;
import dev.jrun.internal.userns.IdMaps;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.model.Namespace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLONE;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.CLOSE_RANGE;
import static dev.jrun.launch.Syscall.DUP3;
import static dev.jrun.launch.Syscall.EXECVE;
import static dev.jrun.launch.Syscall.EXIT_GROUP;
import static dev.jrun.launch.Syscall.FCHOWNAT;
import static dev.jrun.launch.Syscall.FCNTL;
import static dev.jrun.launch.Syscall.IOCTL;
import static dev.jrun.launch.Syscall.MOUNT;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.READ;
import static dev.jrun.launch.Syscall.SETDOMAINNAME;
import static dev.jrun.launch.Syscall.SETHOSTNAME;
import static dev.jrun.launch.Syscall.SETNS;
import static dev.jrun.launch.Syscall.SETRESGID;
import static dev.jrun.launch.Syscall.SETRESUID;
import static dev.jrun.launch.Syscall.SETSID;
import static dev.jrun.launch.Syscall.SOCKET;
import static dev.jrun.launch.Syscall.UNSHARE;
import static dev.jrun.launch.Syscall.WRITE;

/**
 * Compiles a {@link ContainerSpec} into the {@link LaunchPlan} the stub executes.
 *
 * <p>The stub first closes stray descriptors and joins namespaces, then
 * {@code clone}s the container's first process with {@code CLONE_PARENT} (so it
 * is the JVM's child) in its new namespaces. The stub itself reports that PID
 * and exits. The new process (first asking for SIGKILL when its parent dies,
 * if it {@linkplain ContainerSpec#diesWithParent() dies with it}) waits for the
 * launcher's go-ahead (its cgroup and uid/gid maps are in place then), builds
 * its filesystem (waiting a second time before {@code pivot_root} when the
 * launcher has work to do in the assembled root), loads a seccomp filter that
 * notifies an agent and hands its
 * listener over, if it has one, tells the launcher it is set up, waits at its start gate if
 * it has one, takes on the command's security labels ({@link SecurityLabelSteps}), user and privileges
 * ({@link PrivilegeSteps}) and {@code execve}s the command.
 */
public final class PlanCompiler {

    private static final List<String> STDIO_NAMES = List.of("stdin", "stdout", "stderr");

    private final ContainerSpec spec;
    private final HostFacts host;
    private final LaunchProtocol protocol;
    private final PlanBuilder plan = new PlanBuilder();
    private final Optional<SeccompFilter> seccomp;
    /** Whether the container hands a seccomp agent's listener to the launcher: the sync pipe stays open for it. */
    private final boolean handsOverListener;
    /** Whether the container waits for the launcher's work before pivot_root: the sync pipe stays open for it. */
    private final boolean waitsBeforePivotRoot;

    private PlanCompiler(ContainerSpec spec, HostFacts host) {
        this.spec = spec;
        this.host = host;
        this.protocol = new LaunchProtocol(spec.preservedFds());
        this.seccomp = spec.seccomp().map(SeccompCompiler::compile);
        this.handsOverListener = seccomp.map(SeccompFilter::hasListener).orElse(false);
        this.waitsBeforePivotRoot = !spec.beforePivotRootActions().isEmpty();
    }

    /**
     * {@return all that launching the container needs on the host {@code host} describes: its plan, the
     * descriptors the stub and the launcher share, and the launcher's own work}
     *
     * @throws IllegalArgumentException if the container asks for something the host lacks or jrun does not do yet
     */
    public static CompiledLaunch compile(ContainerSpec spec, HostFacts host) {
        PlanCompiler compiler = new PlanCompiler(spec, host);
        LaunchPlan plan = compiler.compile();
        return new CompiledLaunch(spec, plan, compiler.protocol,
                compiler.handsOverListener ? spec.seccompAgent() : Optional.empty());
    }

    private LaunchPlan compile() {
        // Without a start gate, the FIFO's slot is closed too: nothing of this process may sit there.
        int firstClosed = spec.startGate().isPresent() ? protocol.firstUnneededFd() : protocol.startFifoFd();
        plan.add("close descriptors the container must not inherit",
                CLOSE_RANGE, number(firstClosed), Arg.named(0xFFFF_FFFFL, "~0U"), number(0));
        FilesystemSteps filesystem = new FilesystemSteps(plan, spec, host);
        // Only root may copy a mount tree in the host's mount namespace; any other user reaches only its own files anyway.
        if (spec.namespaces().creates(Namespace.USER) && host.root() && spec.filesystem().changesFilesystem()) {
            filesystem.copyBindSourcesBeforeClone();
        }
        joinNamespaces();
        if (spec.namespaces().creates(Namespace.TIME)) {
            TimeNamespaceSteps.add(plan, spec.timeOffsets());
        }
        PlanBuilder.Label reportPid = new PlanBuilder.Label();
        int clone = plan.addJumpIfPositive(reportPid, "create the container's first process",
                CLONE, cloneFlags(), NULL, NULL, NULL, NULL);

        if (spec.diesWithParent()) {
            // Before the gate: should the runtime die before this step, the gate's pipe ends the process.
            ParentDeathSignal.arm(plan, "");
        }
        awaitRelease();
        keepOnlyStdio();
        spec.oomScoreAdj().ifPresent(this::setOomScoreAdj);
        if (spec.namespaces().creates(Namespace.USER)) {
            becomeRootInUserNamespace();
            if (spec.diesWithParent()) {
                ParentDeathSignal.arm(plan, ", again after the switch to the namespace's root");
            }
        }
        if (spec.namespaces().creates(Namespace.CGROUP)) {
            // After the release: the launcher has placed the process in its cgroup by then.
            plan.add("create a cgroup namespace", UNSHARE, nsFlag(Namespace.CGROUP));
        }
        spec.hostname().ifPresent(name ->
                plan.add("set hostname " + name, SETHOSTNAME, text(name), number(name.length())));
        spec.domainname().ifPresent(name ->
                plan.add("set domainname " + name, SETDOMAINNAME, text(name), number(name.length())));
        if (spec.namespaces().creates(Namespace.NETWORK)) {
            bringUpLoopback();
        }
        filesystem.add(waitsBeforePivotRoot ? Optional.of(this::awaitBeforePivotRoot) : Optional.empty());
        if (spec.terminal()) {
            openTerminal();
        }
        RlimitSteps.add(plan, spec.rlimits());
        ProcessAttributeSteps.add(plan, spec.personality(), spec.scheduler(), spec.ioPriority());
        int agentFilterStep = handsOverListener ? handOverSeccompListener(seccomp.orElseThrow()) : -1;
        if (spec.startGate().isPresent()) {
            awaitStart();
        } else {
            reportSetUp("tell the runtime the container is set up");
        }
        new SecurityLabelSteps(plan).add(spec.securityLabels(), host.securityModules());
        int seccompStep = new PrivilegeSteps(plan, privileges(seccomp.filter(filter -> !handsOverListener))).add();
        int lastExecve = execute();

        plan.bind(reportPid);
        plan.add("report the container's PID to the runtime", WRITE,
                number(protocol.pidFd()), new Arg.AddressOfResult(clone), number(Long.BYTES));
        plan.add("end the launch stub", EXIT_GROUP, number(0));
        LaunchPlan built = plan.build();
        int filterStep = Math.max(seccompStep, agentFilterStep);
        if (filterStep >= 0) {
            SeccompPlanCheck.verify(seccomp.orElseThrow(), built.steps().subList(filterStep + 1, lastExecve + 1),
                    !spec.noNewPrivileges() && !handsOverListener);
        }
        return built;
    }

    private PrivilegeSteps.Settings privileges(Optional<SeccompFilter> seccomp) {
        boolean setgroupsAllowed = !spec.namespaces().creates(Namespace.USER)
                || !new IdMaps(spec.uidMappings(), spec.gidMappings()).setgroupsDenied(host.euid(), host.egid());
        return new PrivilegeSteps.Settings(spec.user(), spec.capabilities(),
                spec.noNewPrivileges(), seccomp, setgroupsAllowed, spec.namespaces().joined().containsKey(Namespace.USER),
                host.lastCapability(),
                spec.diesWithParent());
    }

    /**
     * Writes /proc/self/oom_score_adj while the host's /proc is still mounted and before any
     * uid switch, which would hand the file to root of the host.
     */
    private void setOomScoreAdj(int adjustment) {
        String value = Integer.toString(adjustment);
        int open = plan.add("open /proc/self/oom_score_adj", OPENAT, Flag.AT_FDCWD.arg(), text("/proc/self/oom_score_adj"),
                Flag.all(Flag.O_WRONLY, Flag.O_CLOEXEC), number(0));
        plan.add("set oom_score_adj " + value, WRITE, new Arg.ResultOf(open), text(value), number(value.length()));
        plan.add("close /proc/self/oom_score_adj", CLOSE, new Arg.ResultOf(open));
    }

    /**
     * The first process starts in its new user namespace with the launcher's IDs, which are not
     * mapped there; it sets the container up as the namespace's root, whose maps the launcher wrote.
     */
    private void becomeRootInUserNamespace() {
        plan.add("become gid 0 of the user namespace", SETRESGID, number(0), number(0), number(0));
        plan.add("become uid 0 of the user namespace", SETRESUID, number(0), number(0), number(0));
    }

    /**
     * Opens every namespace joined, then joins them: the user namespace first (it owns the others,
     * and joining them needs capabilities in it), the mount namespace last. Opened first, as the
     * launcher's user: in a joined user namespace, the files of a process that has not executed its
     * command yet (a container at its gate) may no longer be opened.
     */
    private void joinNamespaces() {
        List<Map.Entry<Namespace, Path>> joins = spec.namespaces().joined().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(PlanCompiler::joinOrder))).toList();
        List<Integer> opened = joins.stream().map(join -> plan.add("open " + join.getKey().procName() + " namespace "
                + join.getValue(), OPENAT, Flag.AT_FDCWD.arg(), text(join.getValue().toString()),
                Flag.all(Flag.O_RDONLY, Flag.O_CLOEXEC), number(0))).toList();
        for (int i = 0; i < joins.size(); i++) {
            plan.add("join " + joins.get(i).getKey().procName() + " namespace " + joins.get(i).getValue(), SETNS,
                    new Arg.ResultOf(opened.get(i)), nsFlag(joins.get(i).getKey()));
        }
        for (int i = 0; i < joins.size(); i++) {
            plan.add("close " + joins.get(i).getValue(), CLOSE, new Arg.ResultOf(opened.get(i)));
        }
    }

    private static int joinOrder(Namespace namespace) {
        return switch (namespace) {
            case USER -> 0;
            case MOUNT -> 2;
            default -> 1;
        };
    }

    private Arg cloneFlags() {
        List<Flag> flags = new ArrayList<>(List.of(Flag.CLONE_PARENT));
        for (Namespace ns : spec.namespaces().created()) {
            if (ns != Namespace.CGROUP && ns != Namespace.TIME) {
                flags.add(cloneFlag(ns));
            }
        }
        flags.add(Flag.SIGCHLD);
        return Flag.all(flags.toArray(Flag[]::new));
    }

    private static Arg nsFlag(Namespace namespace) {
        return cloneFlag(namespace).arg();
    }

    private static Flag cloneFlag(Namespace namespace) {
        String name = switch (namespace) {
            case MOUNT -> "CLONE_NEWNS";
            case NETWORK -> "CLONE_NEWNET";
            default -> "CLONE_NEW" + namespace.name();
        };
        return new Flag(name, namespace.cloneFlag());
    }

    /** The gate: block until the launcher writes a byte; end quietly if it closes the pipe instead. */
    private void awaitRelease() {
        awaitRelease("wait for the runtime to release the container");
    }

    private void awaitRelease(String description) {
        PlanBuilder.Label released = new PlanBuilder.Label();
        plan.addJumpIfPositive(released, description,
                READ, number(protocol.syncFd()), new Arg.Bytes(new byte[Long.BYTES], "buf"), number(1));
        plan.add("give up: the runtime went away before releasing the container", EXIT_GROUP, number(1));
        plan.bind(released);
    }

    /** The pipes stay open as long as a later step reports through them or waits on them. */
    private void keepOnlyStdio() {
        if (!waitsBeforePivotRoot && !spec.terminal() && !handsOverListener) {
            closeSyncPipe();
        }
        plan.add("close the error pipe when the command starts", FCNTL,
                number(protocol.errorFd()), Flag.F_SETFD.arg(), Flag.FD_CLOEXEC.arg());
    }

    private void closeSyncPipe() {
        plan.add("close the sync pipe", CLOSE, number(protocol.syncFd()));
    }

    private void closePidPipe() {
        plan.add("close the PID pipe", CLOSE, number(protocol.pidFd()));
    }

    /**
     * The gate before pivot_root: the container tells the launcher its root is assembled and waits
     * while the launcher works there (runs OCI createContainer hooks in its mount namespace).
     */
    private void awaitBeforePivotRoot() {
        plan.add("tell the runtime the root is assembled", WRITE,
                number(protocol.pidFd()), new Arg.Bytes(new byte[] {4}, "\"\\4\""), number(1));
        awaitRelease("wait for the runtime's work in the assembled root, before pivot_root");
        if (!spec.terminal() && !handsOverListener) {
            closeSyncPipe();
        }
    }

    /**
     * The container's terminal, opened in the container's own /dev/pts (so the command finds its
     * terminal there, by name too): the slave becomes stdio and the controlling terminal of a new
     * session, and the controlling side waits at a fixed descriptor while the launcher takes it
     * ({@code pidfd_getfd}) before releasing the container a second time.
     */
    private void openTerminal() {
        int master = plan.add("open a terminal in the container's /dev/pts", OPENAT, Flag.AT_FDCWD.arg(),
                text("/dev/ptmx"), Flag.all(Flag.O_RDWR, Flag.O_NOCTTY, Flag.O_CLOEXEC), number(0));
        plan.add("unlock the terminal", IOCTL, new Arg.ResultOf(master), Flag.TIOCSPTLCK.arg(),
                new Arg.Bytes(new byte[Integer.BYTES], "{0}"));
        int slave = plan.add("open the terminal's slave side", IOCTL, new Arg.ResultOf(master), Flag.TIOCGPTPEER.arg(),
                Flag.all(Flag.O_RDWR, Flag.O_NOCTTY));
        plan.add("size the terminal " + spec.terminalColumns() + "x" + spec.terminalRows(), IOCTL,
                new Arg.ResultOf(slave), Flag.TIOCSWINSZ.arg(), windowSize());
        plan.add("start a session", SETSID);
        plan.add("make the terminal the controlling terminal", IOCTL, new Arg.ResultOf(slave), Flag.TIOCSCTTY.arg(),
                number(0));
        for (int fd = 0; fd < 3; fd++) {
            plan.add("make the terminal the command's " + STDIO_NAMES.get(fd), DUP3, new Arg.ResultOf(slave),
                    number(fd), number(0));
        }
        if (spec.user().uid() != 0) {
            // As runc: the command's user owns its terminal, whose group (devpts' gid=, tty) stays. EINVAL and
            // EPERM: the user or the owner is not mapped in the user namespace; EROFS: a read-only /dev.
            plan.addTolerating(Set.of(Libc.EINVAL(), Libc.EPERM(), Libc.EROFS()),
                    "give the terminal to user " + spec.user().uid(), FCHOWNAT, new Arg.ResultOf(slave), text(""),
                    number(spec.user().uid()), number(-1), Flag.AT_EMPTY_PATH.arg());
        }
        plan.add("close the slave's extra descriptor", CLOSE, new Arg.ResultOf(slave));
        if (spec.filesystem().changesFilesystem()) {
            // OCI's /dev/console, which FilesystemSteps made: the terminal, bound through the magic link of stdin.
            plan.add("bind the terminal on /dev/console", MOUNT, text("/proc/self/fd/0"), text("/dev/console"), NULL,
                    Flag.MS_BIND.arg(), NULL);
        }
        // EINVAL: the terminal was opened right there already. Its first descriptor is close-on-exec either way.
        plan.addTolerating(Set.of(Libc.EINVAL()), "leave the terminal's controlling side for the runtime", DUP3,
                new Arg.ResultOf(master), number(protocol.terminalFd()), Flag.O_CLOEXEC.arg());
        plan.add("tell the runtime the terminal is ready", WRITE,
                number(protocol.pidFd()), new Arg.Bytes(new byte[] {2}, "\"\\2\""), number(1));
        awaitRelease("wait for the runtime to take the terminal");
        plan.add("close the terminal's controlling side, taken by the runtime", CLOSE, number(protocol.terminalFd()));
        if (!handsOverListener) {
            closeSyncPipe();
        }
    }

    /**
     * Loads a filter that notifies a seccomp agent while the process that creates the container still
     * listens, before the start gate (as runc does): the container reports the listener's descriptor,
     * waits while the launcher takes it ({@code pidfd_getfd}) and gives it to the agent, then closes
     * its own copy, so that only the agent holds it. Its later notified calls wait for the agent.
     *
     * @return the index of the step that loads the filter
     */
    private int handOverSeccompListener(SeccompFilter filter) {
        int load = PrivilegeSteps.loadFilter(plan, filter, "load the seccomp filter, which notifies a seccomp agent");
        plan.add("tell the runtime the seccomp listener is ready", WRITE,
                number(protocol.pidFd()), new Arg.Bytes(new byte[] {3}, "\"\\3\""), number(1));
        plan.add("report the seccomp listener's descriptor to the runtime", WRITE,
                number(protocol.pidFd()), new Arg.AddressOfResult(load), number(Long.BYTES));
        awaitRelease("wait for the runtime to give the seccomp listener to the agent");
        plan.add("close the seccomp listener, which the agent has now", CLOSE, new Arg.ResultOf(load));
        closeSyncPipe();
        return load;
    }

    /**
     * Tells the launcher the container is set up: from here on only privileges are dropped and the
     * command executed, so a container that ends before this byte ended during its set-up (the
     * launcher then looks for why, such as the OOM killer).
     */
    private void reportSetUp(String description) {
        plan.add(description, WRITE,
                number(protocol.pidFd()), new Arg.Bytes(new byte[] {1}, "\"\\1\""), number(1));
        closePidPipe();
    }

    /**
     * The start gate, the way runc's exec.fifo works: tell the launcher the container is set up,
     * then block opening the FIFO for writing until the start command opens it for reading. From
     * then on the FIFO is the error pipe: the start command reads end of file when execve closes
     * it, or the failed step's record.
     */
    private void awaitStart() {
        // After pivot_root the FIFO's path is gone: it is reopened through its descriptor in /proc.
        String fifo = "/proc/self/fd/" + protocol.startFifoFd();
        int check = plan.add("check that the exec FIFO can be reopened through " + fifo + " (needs /proc)",
                OPENAT, Flag.AT_FDCWD.arg(), text(fifo), Flag.all(Flag.O_PATH, Flag.O_CLOEXEC), number(0));
        plan.add("close " + fifo, CLOSE, new Arg.ResultOf(check));
        reportSetUp("tell the runtime the container is created");
        int open = plan.add("wait for start: open the exec FIFO for writing", OPENAT, Flag.AT_FDCWD.arg(),
                text(fifo), Flag.all(Flag.O_WRONLY, Flag.O_CLOEXEC), number(0));
        plan.add("close the exec FIFO's path descriptor", CLOSE, number(protocol.startFifoFd()));
        plan.add("report the command's start to the start command, through the exec FIFO", DUP3,
                new Arg.ResultOf(open), number(protocol.errorFd()), Flag.O_CLOEXEC.arg());
    }

    /** The terminal's size, set before the command starts so it never sees a 0x0 terminal. */
    private Arg windowSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = winsize.allocate(arena);
            winsize.ws_col(size, (short) spec.terminalColumns());
            winsize.ws_row(size, (short) spec.terminalRows());
            return new Arg.Bytes(size.toArray(ValueLayout.JAVA_BYTE),
                    "{ws_row=" + spec.terminalRows() + ", ws_col=" + spec.terminalColumns() + "}");
        }
    }

    private void bringUpLoopback() {
        int socket = plan.add("open a socket to configure the network",
                SOCKET, Flag.AF_INET.arg(), Flag.all(Flag.SOCK_DGRAM, Flag.SOCK_CLOEXEC), number(0));
        plan.add("bring up loopback", IOCTL, new Arg.ResultOf(socket), Flag.SIOCSIFFLAGS.arg(), loopbackUp());
        plan.add("close the configuration socket", CLOSE, new Arg.ResultOf(socket));
    }

    private static Arg loopbackUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = ifreq.allocate(arena);
            ifreq.ifr_ifrn.ifrn_name(ifreq.ifr_ifrn(request)).setString(0, "lo");
            ifreq.ifr_ifru.ifru_flags(ifreq.ifr_ifru(request), (short) (Libc.IFF_UP() | Libc.IFF_RUNNING()));
            return new Arg.Bytes(request.toArray(ValueLayout.JAVA_BYTE), "{ifr_name=\"lo\", ifr_flags=IFF_UP|IFF_RUNNING}");
        }
    }

    /**
     * {@code execve} the command: a name without a slash is tried in each {@code PATH}
     * directory in turn, as {@code execvp} does; only the last failure counts.
     *
     * @return the index of the last execve step
     */
    private int execute() {
        List<String> command = spec.command();
        String program = command.getFirst();
        Arg argv = new Arg.TextArray(command);
        Arg envp = new Arg.TextArray(spec.environment().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (program.contains("/")) {
            return plan.add("execve " + program, EXECVE, text(program), argv, envp);
        }
        List<String> candidates = spec.searchPath().stream()
                .filter(dir -> dir.startsWith("/"))
                .map(dir -> (dir.endsWith("/") ? dir : dir + "/") + program)
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("cannot run " + program + ": PATH has no absolute directory");
        }
        for (String candidate : candidates.subList(0, candidates.size() - 1)) {
            plan.addMayFail("execve " + candidate, EXECVE, text(candidate), argv, envp);
        }
        return plan.add("execve " + program + " (searched PATH=" + String.join(":", spec.searchPath()) + ")",
                EXECVE, text(candidates.getLast()), argv, envp);
    }
}
