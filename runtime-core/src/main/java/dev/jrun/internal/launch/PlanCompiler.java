package dev.jrun.internal.launch;

import dev.jrun.Container;
import dev.jrun.Namespace;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.ifreq;
import dev.jrun.internal.seccomp.SeccompCompiler;
import dev.jrun.internal.seccomp.SeccompFilter;
import dev.jrun.internal.userns.IdMaps;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.jrun.internal.launch.LaunchProtocol.ERROR_FD;
import static dev.jrun.internal.launch.LaunchProtocol.FIRST_UNNEEDED_FD;
import static dev.jrun.internal.launch.LaunchProtocol.PID_FD;
import static dev.jrun.internal.launch.LaunchProtocol.SYNC_FD;
import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLONE;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.CLOSE_RANGE;
import static dev.jrun.launch.Syscall.EXECVE;
import static dev.jrun.launch.Syscall.EXIT_GROUP;
import static dev.jrun.launch.Syscall.FCNTL;
import static dev.jrun.launch.Syscall.IOCTL;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.READ;
import static dev.jrun.launch.Syscall.SETHOSTNAME;
import static dev.jrun.launch.Syscall.SETNS;
import static dev.jrun.launch.Syscall.SETRESGID;
import static dev.jrun.launch.Syscall.SETRESUID;
import static dev.jrun.launch.Syscall.SOCKET;
import static dev.jrun.launch.Syscall.UNSHARE;
import static dev.jrun.launch.Syscall.WRITE;

/**
 * Compiles a {@link Container} into the {@link LaunchPlan} the stub executes.
 *
 * <p>The stub first closes stray descriptors and joins namespaces, then
 * {@code clone}s the container's first process with {@code CLONE_PARENT} (so it
 * is the JVM's child) in its new namespaces. The stub itself reports that PID
 * and exits. The new process waits for the launcher's go-ahead (its cgroup and
 * uid/gid maps are in place then), builds its filesystem, takes on the
 * command's user and privileges ({@link PrivilegeSteps}) and {@code execve}s
 * the command.
 */
public final class PlanCompiler {

    private final Container container;
    private final PlanBuilder plan = new PlanBuilder();

    private PlanCompiler(Container container) {
        this.container = container;
    }

    /**
     * {@return the launch plan for a container}
     *
     * @throws IllegalArgumentException if the container asks for something the host lacks or jrun does not do yet
     */
    public static LaunchPlan compile(Container container) {
        return new PlanCompiler(container).compile();
    }

    private LaunchPlan compile() {
        Optional<SeccompFilter> seccomp = container.seccomp().map(SeccompCompiler::compile);
        int firstUnneeded = container.terminal() ? FIRST_UNNEEDED_FD : LaunchProtocol.CONSOLE_FD;
        plan.add("close descriptors the container must not inherit",
                CLOSE_RANGE, number(firstUnneeded), Arg.named(0xFFFF_FFFFL, "~0U"), number(0));
        joinNamespaces();
        if (container.namespaces().creates(Namespace.TIME)) {
            // CLONE_NEWTIME shares its bit with clone()'s exit signal: only unshare can ask for it.
            plan.add("create a time namespace for the first process", UNSHARE, nsFlag(Namespace.TIME));
        }
        PlanBuilder.Label reportPid = new PlanBuilder.Label();
        int clone = plan.addJumpIfPositive(reportPid, "create the container's first process",
                CLONE, cloneFlags(), NULL, NULL, NULL, NULL);

        awaitRelease();
        keepOnlyStdio();
        container.oomScoreAdj().ifPresent(this::setOomScoreAdj);
        if (container.namespaces().creates(Namespace.USER)) {
            becomeRootInUserNamespace();
        }
        if (container.namespaces().creates(Namespace.CGROUP)) {
            // After the release: the launcher has placed the process in its cgroup by then.
            plan.add("create a cgroup namespace", UNSHARE, nsFlag(Namespace.CGROUP));
        }
        container.hostname().ifPresent(name ->
                plan.add("set hostname " + name, SETHOSTNAME, text(name), number(name.length())));
        if (container.namespaces().creates(Namespace.NETWORK)) {
            bringUpLoopback();
        }
        new FilesystemSteps(plan, container.filesystem(), container.namespaces().creates(Namespace.NETWORK)).add();
        if (container.terminal()) {
            new TerminalSteps(plan, container.terminalColumns(), container.terminalRows()).add();
        }
        int seccompStep = new PrivilegeSteps(plan, privileges(seccomp)).add();
        int lastExecve = execute();

        plan.bind(reportPid);
        plan.add("report the container's PID to the runtime", WRITE,
                number(PID_FD), new Arg.AddressOfResult(clone), number(Long.BYTES));
        plan.add("end the launch stub", EXIT_GROUP, number(0));
        LaunchPlan built = plan.build();
        if (seccompStep >= 0) {
            SeccompPlanCheck.verify(seccomp.orElseThrow(), built.steps().subList(seccompStep + 1, lastExecve + 1),
                    container.noNewPrivileges());
        }
        return built;
    }

    private PrivilegeSteps.Settings privileges(Optional<SeccompFilter> seccomp) {
        boolean setgroupsAllowed = !container.namespaces().creates(Namespace.USER)
                || !new IdMaps(container.uidMappings(), container.gidMappings()).setgroupsDenied();
        return new PrivilegeSteps.Settings(container.user(), container.rlimits(), container.capabilities(),
                container.noNewPrivileges(), seccomp, setgroupsAllowed, KernelCapabilities.last());
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

    private void joinNamespaces() {
        // The user namespace first: it owns the others, and joining them needs capabilities in it.
        // The mount namespace last: joining it changes how the later namespace paths resolve.
        container.namespaces().joined().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparingInt(PlanCompiler::joinOrder)))
                .forEach(join -> joinNamespace(join.getKey(), join.getValue()));
    }

    private static int joinOrder(Namespace namespace) {
        return switch (namespace) {
            case USER -> 0;
            case MOUNT -> 2;
            default -> 1;
        };
    }

    private void joinNamespace(Namespace namespace, Path path) {
        int open = plan.add("open " + namespace.procName() + " namespace " + path,
                OPENAT, Flag.AT_FDCWD.arg(), text(path.toString()), Flag.all(Flag.O_RDONLY, Flag.O_CLOEXEC), number(0));
        plan.add("join " + namespace.procName() + " namespace " + path, SETNS, new Arg.ResultOf(open), nsFlag(namespace));
        plan.add("close " + path, CLOSE, new Arg.ResultOf(open));
    }

    private Arg cloneFlags() {
        List<Flag> flags = new ArrayList<>(List.of(Flag.CLONE_PARENT));
        for (Namespace ns : container.namespaces().created()) {
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
        PlanBuilder.Label released = new PlanBuilder.Label();
        plan.addJumpIfPositive(released, "wait for the runtime to release the container",
                READ, number(SYNC_FD), new Arg.Bytes(new byte[Long.BYTES], "buf"), number(1));
        plan.add("give up: the runtime went away before releasing the container", EXIT_GROUP, number(1));
        plan.bind(released);
    }

    private void keepOnlyStdio() {
        plan.add("close the sync pipe", CLOSE, number(SYNC_FD));
        plan.add("close the PID pipe", CLOSE, number(PID_FD));
        plan.add("close the error pipe when the command starts", FCNTL,
                number(ERROR_FD), Flag.F_SETFD.arg(), Flag.FD_CLOEXEC.arg());
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
        List<String> command = container.command();
        String program = command.getFirst();
        Arg argv = new Arg.TextArray(command);
        Arg envp = new Arg.TextArray(container.environment().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (program.contains("/")) {
            return plan.add("execve " + program, EXECVE, text(program), argv, envp);
        }
        List<String> candidates = container.searchPath().stream()
                .filter(dir -> dir.startsWith("/"))
                .map(dir -> (dir.endsWith("/") ? dir : dir + "/") + program)
                .toList();
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("cannot run " + program + ": PATH has no absolute directory");
        }
        for (String candidate : candidates.subList(0, candidates.size() - 1)) {
            plan.addMayFail("execve " + candidate, EXECVE, text(candidate), argv, envp);
        }
        return plan.add("execve " + program + " (searched PATH=" + String.join(":", container.searchPath()) + ")",
                EXECVE, text(candidates.getLast()), argv, envp);
    }
}
