package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.seccomp.Architectures;
import dev.jrun.internal.seccomp.SyscallTable;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Rule;
import dev.jrun.model.SeccompProfile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * jrun's default seccomp profile, in the spirit of Docker's: an allow list of
 * every system call this architecture's bindings know, minus groups of calls
 * that reach past the container's namespaces, each allowed again by the
 * capability that makes it legitimate. Denied calls fail with EPERM; calls
 * newer than the bindings fail with ENOSYS, so a C library falls back to an
 * older call, as it does on an older kernel.
 */
public final class DockerDefaultProfile {

    /** Calls denied unless the container has one of the capabilities. */
    private record Group(Set<Capability> allowedBy, List<String> calls) {
    }

    private static final List<Group> GROUPS = List.of(
            // Keyrings are not namespaced; io_uring performs operations seccomp never sees.
            new Group(Set.of(), List.of("add_key", "keyctl", "request_key", "io_uring_setup", "io_uring_enter",
                    "io_uring_register")),
            // Obsolete calls nothing needs.
            new Group(Set.of(), List.of("create_module", "get_kernel_syms", "query_module", "nfsservctl", "uselib",
                    "ustat", "sysfs", "vserver", "afs_syscall", "tuxcall", "security", "getpmsg", "putpmsg")),
            new Group(Set.of(Capability.SYS_ADMIN), List.of("mount", "umount2", "pivot_root", "setns", "unshare",
                    "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
                    "name_to_handle_at", "lookup_dcookie", "quotactl", "quotactl_fd", "swapon", "swapoff",
                    "fanotify_init")),
            new Group(Set.of(Capability.SYS_ADMIN, Capability.BPF), List.of("bpf")),
            new Group(Set.of(Capability.SYS_ADMIN, Capability.PERFMON), List.of("perf_event_open")),
            new Group(Set.of(Capability.DAC_READ_SEARCH), List.of("open_by_handle_at")),
            new Group(Set.of(Capability.SYS_BOOT), List.of("reboot", "kexec_load", "kexec_file_load")),
            new Group(Set.of(Capability.SYS_MODULE), List.of("init_module", "finit_module", "delete_module")),
            new Group(Set.of(Capability.SYS_PTRACE), List.of("kcmp", "process_vm_readv", "process_vm_writev",
                    "pidfd_getfd", "userfaultfd")),
            new Group(Set.of(Capability.SYS_TIME), List.of("settimeofday", "clock_settime", "clock_adjtime")),
            new Group(Set.of(Capability.SYS_PACCT), List.of("acct")),
            new Group(Set.of(Capability.SYS_RAWIO), List.of("iopl", "ioperm")),
            new Group(Set.of(Capability.SYS_NICE), List.of("get_mempolicy", "set_mempolicy", "set_mempolicy_home_node",
                    "mbind", "move_pages")),
            new Group(Set.of(Capability.SYS_TTY_CONFIG), List.of("vhangup")),
            new Group(Set.of(Capability.SYSLOG), List.of("syslog")));

    private static final String CLONE = "clone";
    private static final String CLONE3 = "clone3";
    /** clone's first argument on x86-64 is the flags word. */
    private static final int CLONE_FLAGS_ARG = 0;

    private DockerDefaultProfile() {
    }

    /**
     * {@return the profile for a container with {@code capabilities}: every system call of this
     * architecture is allowed except those that reach outside the container or the kernel's
     * namespacing (keyctl, add_key, request_key, bpf, kexec_load, open_by_handle_at, init_module,
     * ptrace, mount, unshare, setns, clone with namespace flags, reboot, swapon, settimeofday...),
     * which fail with EPERM; a group is allowed again when the effective capabilities grant the
     * capability it needs (CAP_SYS_ADMIN for mount, CAP_SYS_PTRACE for ptrace...). clone3 fails
     * with ENOSYS, so C libraries fall back to clone, whose flags can be checked; calls this
     * architecture's bindings do not know fail with ENOSYS}
     *
     * @param capabilities the container's capabilities
     */
    public static SeccompProfile of(Capabilities capabilities) {
        return of(capabilities.effective());
    }

    private static SeccompProfile of(Collection<Capability> capabilities) {
        SyscallTable table = SyscallTable.nativeTable();
        Set<String> denied = new TreeSet<>();
        for (Group group : GROUPS) {
            if (group.allowedBy().stream().noneMatch(capabilities::contains)) {
                group.calls().stream().filter(call -> table.number(call).isPresent()).forEach(denied::add);
            }
        }
        boolean namespaces = capabilities.contains(Capability.SYS_ADMIN);
        Set<String> allowed = new TreeSet<>(table.all().keySet());
        allowed.removeAll(denied);
        if (!namespaces) {
            allowed.remove(CLONE);
            allowed.remove(CLONE3);
        }

        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule(List.copyOf(allowed), Action.ALLOW, OptionalInt.empty(), List.of()));
        if (!namespaces) {
            // New namespaces need CAP_SYS_ADMIN; clone3 passes its flags in memory, out of a filter's reach.
            rules.add(Rule.of(Action.ALLOW, CLONE).withArgs(Condition.masked(CLONE_FLAGS_ARG, namespaceFlags(), 0)));
            rules.add(Rule.of(Action.ERRNO, CLONE).withErrnoRet(Libc.EPERM()));
            rules.add(Rule.of(Action.ERRNO, CLONE3).withErrnoRet(Libc.ENOSYS()));
        }
        if (!denied.isEmpty()) {
            rules.add(new Rule(List.copyOf(denied), Action.ERRNO, OptionalInt.of(Libc.EPERM()), List.of()));
        }
        return SeccompProfile.defaultAction(Action.ERRNO)
                .withDefaultErrnoRet(Libc.ENOSYS())
                .withArchitectures(List.of(Architectures.NATIVE))
                .withRules(rules);
    }

    private static long namespaceFlags() {
        return Libc.CLONE_NEWNS() | Libc.CLONE_NEWUTS() | Libc.CLONE_NEWIPC() | Libc.CLONE_NEWUSER()
                | Libc.CLONE_NEWPID() | Libc.CLONE_NEWNET() | Libc.CLONE_NEWCGROUP();
    }
}
