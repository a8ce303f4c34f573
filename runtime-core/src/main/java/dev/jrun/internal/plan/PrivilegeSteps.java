package dev.jrun.internal.plan;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.__user_cap_data_struct;
import dev.jrun.bindings.__user_cap_header_struct;
import dev.jrun.internal.flags.Flag;
import dev.jrun.internal.seccomp.SeccompFilter;
import dev.jrun.launch.Arg;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.User;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Syscall.CAPSET;
import static dev.jrun.launch.Syscall.PRCTL;
import static dev.jrun.launch.Syscall.SECCOMP;
import static dev.jrun.launch.Syscall.SETGROUPS;
import static dev.jrun.launch.Syscall.SETRESGID;
import static dev.jrun.launch.Syscall.SETRESUID;
import static dev.jrun.launch.Syscall.UMASK;

/**
 * The steps that take a container's first process from the root that set it
 * up to the user and privileges its command runs with, right before
 * {@code execve}.
 *
 * <p>The order matters (the rlimits come earlier, in {@link RlimitSteps}): the
 * bounding set and the supplementary groups while CAP_SETPCAP and CAP_SETGID
 * are still there; PR_SET_KEEPCAPS across the uid switch, so the permitted set
 * survives it; capset once the uid is final;
 * ambient capabilities after capset (they must be permitted and inheritable);
 * no_new_privs, then the seccomp filter last, so it can deny anything the
 * setup itself needs. Without no_new_privs, loading a filter needs
 * CAP_SYS_ADMIN, so it is loaded before any capability is dropped instead, as
 * runc does. A filter that notifies a seccomp agent is not loaded here but
 * earlier, by {@link PlanCompiler}, while the runtime still listens.
 */
final class PrivilegeSteps {

    /**
     * What the steps are made from.
     *
     * @param setgroupsAllowed   whether the user namespace the container creates lets it set groups
     * @param joinsUserNamespace whether it joins a user namespace, which may deny setgroups (a
     *                           rootless container's, mapped without newgidmap)
     */
    record Settings(User user, Optional<Capabilities> capabilities, boolean noNewPrivileges,
                    Optional<SeccompFilter> seccomp, boolean setgroupsAllowed, boolean joinsUserNamespace,
                    int lastCapability, boolean diesWithParent) {
    }

    private static final Set<Integer> SETGROUPS_DENIED = Set.of(Libc.EPERM());

    private final PlanBuilder plan;
    private final Settings settings;

    PrivilegeSteps(PlanBuilder plan, Settings settings) {
        this.plan = plan;
        this.settings = settings;
    }

    /** Adds the steps; {@return the index of the step that loads the seccomp filter, or -1} */
    int add() {
        User user = settings.user();
        user.umask().ifPresent(mask -> plan.add("set umask " + String.format("%04o", mask), UMASK, octal(mask)));
        int seccompStep = -1;
        if (!settings.noNewPrivileges()) {
            seccompStep = loadSeccomp();
        }
        settings.capabilities().ifPresent(caps -> dropBounding(caps.bounding()));
        boolean keepCapabilities = settings.capabilities().isPresent() && user.uid() != 0;
        if (keepCapabilities) {
            plan.add("keep the permitted capabilities across the uid switch",
                    PRCTL, Flag.PR_SET_KEEPCAPS.arg(), number(1), number(0), number(0), number(0));
        }
        setIds(user);
        if (keepCapabilities) {
            plan.add("stop keeping capabilities across uid switches",
                    PRCTL, Flag.PR_SET_KEEPCAPS.arg(), number(0), number(0), number(0), number(0));
        }
        settings.capabilities().ifPresent(this::setCapabilities);
        if (settings.noNewPrivileges()) {
            plan.add("set no_new_privs", PRCTL, Flag.PR_SET_NO_NEW_PRIVS.arg(), number(1), number(0), number(0), number(0));
            seccompStep = loadSeccomp();
        }
        return seccompStep;
    }

    private int loadSeccomp() {
        return settings.seccomp().map(filter -> loadFilter(plan, filter, "load the seccomp filter")).orElse(-1);
    }

    /** Adds the step that loads {@code filter}; {@return its index} */
    static int loadFilter(PlanBuilder plan, SeccompFilter filter, String description) {
        return plan.add(description, SECCOMP, Flag.SECCOMP_SET_MODE_FILTER.arg(), flags(filter),
                new Arg.FilterProgram(filter.bytes(), filter.program().size(), filter::listing));
    }

    private static Arg flags(SeccompFilter filter) {
        return filter.flagNames().isEmpty() ? number(0) : Arg.named(filter.flags(), String.join("|", filter.flagNames()));
    }

    /** Drops every capability the kernel knows that the bounding set does not keep, newer ones included. */
    private void dropBounding(Set<Capability> bounding) {
        for (int number = 0; number <= settings.lastCapability(); number++) {
            int cap = number;
            if (bounding.stream().noneMatch(c -> c.number() == cap)) {
                plan.add("drop " + capabilityName(cap) + " from the bounding set",
                        PRCTL, Flag.PR_CAPBSET_DROP.arg(), capabilityArg(cap), number(0), number(0), number(0));
            }
        }
    }

    private void setIds(User user) {
        if (settings.setgroupsAllowed()) {
            List<Long> groups = user.additionalGids();
            Arg list = groups.isEmpty() ? NULL : gidArray(groups);
            if (groups.isEmpty() && settings.joinsUserNamespace()) {
                // As runc: where the joined namespace denies setgroups, the groups cannot change at all.
                plan.addTolerating(SETGROUPS_DENIED, "clear the supplementary groups, unless the joined user"
                        + " namespace denies setgroups", SETGROUPS, number(0), list);
            } else {
                plan.add(groups.isEmpty() ? "clear the supplementary groups" : "set the supplementary groups " + groups,
                        SETGROUPS, number(groups.size()), list);
            }
        }
        plan.add("switch to gid " + user.gid(), SETRESGID, number(user.gid()), number(user.gid()), number(user.gid()));
        plan.add("switch to uid " + user.uid(), SETRESUID, number(user.uid()), number(user.uid()), number(user.uid()));
        if (settings.diesWithParent() && (user.uid() != 0 || user.gid() != 0)) {
            ParentDeathSignal.arm(plan, ", again after the switch to uid " + user.uid());
        }
    }

    private void setCapabilities(Capabilities caps) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = __user_cap_header_struct.allocate(arena);
            __user_cap_header_struct.version(header, Libc._LINUX_CAPABILITY_VERSION_3());
            __user_cap_header_struct.pid(header, 0);
            MemorySegment data = __user_cap_data_struct.allocateArray(Libc._LINUX_CAPABILITY_U32S_3(), arena);
            long effective = mask(caps.effective());
            long permitted = mask(caps.permitted());
            long inheritable = mask(caps.inheritable());
            for (int word = 0; word < Libc._LINUX_CAPABILITY_U32S_3(); word++) {
                MemorySegment at = __user_cap_data_struct.asSlice(data, word);
                __user_cap_data_struct.effective(at, (int) (effective >>> (Integer.SIZE * word)));
                __user_cap_data_struct.permitted(at, (int) (permitted >>> (Integer.SIZE * word)));
                __user_cap_data_struct.inheritable(at, (int) (inheritable >>> (Integer.SIZE * word)));
            }
            plan.add("set the effective, permitted and inheritable capabilities", CAPSET,
                    new Arg.Bytes(header.toArray(ValueLayout.JAVA_BYTE), "{_LINUX_CAPABILITY_VERSION_3, 0}"),
                    new Arg.Bytes(data.toArray(ValueLayout.JAVA_BYTE), "{effective=" + names(caps.effective())
                            + ", permitted=" + names(caps.permitted()) + ", inheritable=" + names(caps.inheritable()) + "}"));
        }
        plan.add("clear the ambient capabilities", PRCTL, Flag.PR_CAP_AMBIENT.arg(),
                Flag.PR_CAP_AMBIENT_CLEAR_ALL.arg(), number(0), number(0), number(0));
        for (Capability cap : caps.ambient()) {
            plan.add("raise " + cap + " in the ambient set", PRCTL, Flag.PR_CAP_AMBIENT.arg(),
                    Flag.PR_CAP_AMBIENT_RAISE.arg(), capabilityArg(cap.number()), number(0), number(0));
        }
    }

    /** {@return the capabilities as the kernel's bit mask} */
    private static long mask(Set<Capability> capabilities) {
        return capabilities.stream().mapToLong(c -> 1L << c.number()).reduce(0, (a, b) -> a | b);
    }

    private static Arg gidArray(List<Long> gids) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ValueLayout.JAVA_INT, gids.size());
            for (int i = 0; i < gids.size(); i++) {
                array.setAtIndex(ValueLayout.JAVA_INT, i, gids.get(i).intValue());
            }
            return new Arg.Bytes(array.toArray(ValueLayout.JAVA_BYTE), gids.toString());
        }
    }

    private static Arg capabilityArg(int number) {
        return Arg.named(number, capabilityName(number));
    }

    /** {@return CAP_CHOWN for a capability the bindings know, the number for a newer one} */
    private static String capabilityName(int number) {
        for (Capability cap : Capability.values()) {
            if (cap.number() == number) {
                return cap.ociName();
            }
        }
        return "capability " + number;
    }

    private static String names(Set<Capability> caps) {
        return caps.isEmpty() ? "0" : caps.stream().map(Capability::ociName).collect(Collectors.joining("|"));
    }

    private static Arg octal(int mask) {
        return Arg.named(mask, String.format("%04o", mask));
    }
}
