package dev.jrun.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Which system calls a container's processes may make (OCI
 * {@code linux.seccomp}), with the OCI spec's names. Immutable; every
 * {@code with} method returns a new profile.
 *
 * <p>jrun compiles a profile into a classic BPF program and loads it with
 * {@code seccomp(SECCOMP_SET_MODE_FILTER)} as late as possible before
 * {@code execve}: after every other setup step when
 * {@linkplain dev.jrun.Container.Builder#noNewPrivileges(boolean) no_new_privs} is set,
 * otherwise just before capabilities are dropped (loading a filter then
 * needs {@code CAP_SYS_ADMIN}, as in runc).
 *
 * <p>Semantics, as runc's (libseccomp's) where the OCI spec leaves them open:
 * <ul>
 * <li>Architectures: the filter always covers the native ABI (x86-64), whether
 * {@code architectures} lists it or not. It also covers the i386 ABI
 * ({@code int 0x80}) when the list has {@code SCMP_ARCH_X86}, and x32 when it
 * has {@code SCMP_ARCH_X32}, each with its own system call numbers (the
 * kernel headers', through the generated bindings); on i386 an argument
 * condition looks at the low 32 bits, which is all such a call sees. A call
 * through an ABI the filter does not cover kills the process. Other
 * architectures may be listed: no call on this machine uses them.</li>
 * <li>Rules: the rules for a call are tried in profile order; the first whose
 * argument conditions all hold decides. Conditions that name the same argument
 * more than once are alternatives instead, any one of which suffices
 * ({@code arg0 == 100}, {@code arg0 == 9001}).</li>
 * <li>Names: a name is looked up for each covered ABI; one an ABI lacks is
 * skipped for it ({@code bdflush} on x86-64). A name that no ABI of this
 * machine (x86-64, i386, x32) has, which may be another architecture's call,
 * one newer than jrun's bindings or a typo, is skipped when that cannot let a
 * call through that the rule would stop (the rule allows or logs, or the
 * default action stops every call), and refused otherwise.</li>
 * <li>Default: a call no rule decides gets the default action, except that,
 * when the default action kills, traps or fails calls with an errno other than
 * ENOSYS, a call numbered above the highest the profile names for its ABI
 * fails with ENOSYS: it is newer than the profile, and C libraries fall back
 * from a new call only on ENOSYS ({@code syscall(1000)} gets ENOSYS).</li>
 * </ul>
 *
 * <pre>{@code
 * SeccompProfile.defaultAction(Action.ALLOW)
 *         .withRule(Rule.of(Action.ERRNO, "mkdir", "mkdirat").withErrnoRet(1))
 * }</pre>
 */
public final class SeccompProfile {

    /** What the filter does with a system call (OCI {@code SCMP_ACT_*}). */
    public enum Action {
        /** Kill the whole process, as by SIGSYS. */
        KILL_PROCESS("SCMP_ACT_KILL_PROCESS"),
        /** Kill the calling thread ({@code SCMP_ACT_KILL} means the same). */
        KILL_THREAD("SCMP_ACT_KILL_THREAD"),
        /** Send SIGSYS to the thread. */
        TRAP("SCMP_ACT_TRAP"),
        /** Fail the call with an errno ({@link Rule#errnoRet()}, EPERM unless given). */
        ERRNO("SCMP_ACT_ERRNO"),
        /** Notify a ptrace tracer, or fail with ENOSYS when there is none. */
        TRACE("SCMP_ACT_TRACE"),
        /** Let the call through. */
        ALLOW("SCMP_ACT_ALLOW"),
        /** Let the call through and log it. */
        LOG("SCMP_ACT_LOG"),
        /**
         * Ask a user-space agent, which gets the filter's listener through
         * {@link dev.jrun.Container.Builder#seccompAgent(SeccompAgent)}; not for the default action, nor
         * for {@code write}, which hands the listener over.
         */
        NOTIFY("SCMP_ACT_NOTIFY");

        private static final String OLD_KILL = "SCMP_ACT_KILL";

        private final String ociName;

        Action(String ociName) {
            this.ociName = ociName;
        }

        /** {@return the OCI name, e.g. {@code SCMP_ACT_ERRNO}} */
        public String ociName() {
            return ociName;
        }

        /**
         * {@return the action with this OCI name}
         *
         * @throws IllegalArgumentException naming the unknown action
         */
        public static Action parse(String name) {
            if (name.equals(OLD_KILL)) {
                return KILL_THREAD;
            }
            return Arrays.stream(values()).filter(a -> a.ociName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown seccomp action \"" + name + "\": known are "
                            + Arrays.stream(values()).map(Action::ociName).collect(Collectors.joining(", "))));
        }
    }

    /** How an argument is compared (OCI {@code SCMP_CMP_*}); arguments compare as unsigned 64-bit numbers. */
    public enum Operator {
        /** argument != value */
        NOT_EQUAL("SCMP_CMP_NE"),
        /** argument &lt; value */
        LESS_THAN("SCMP_CMP_LT"),
        /** argument &lt;= value */
        LESS_OR_EQUAL("SCMP_CMP_LE"),
        /** argument == value */
        EQUAL("SCMP_CMP_EQ"),
        /** argument &gt;= value */
        GREATER_OR_EQUAL("SCMP_CMP_GE"),
        /** argument &gt; value */
        GREATER_THAN("SCMP_CMP_GT"),
        /** (argument &amp; value) == valueTwo */
        MASKED_EQUAL("SCMP_CMP_MASKED_EQ");

        private final String ociName;

        Operator(String ociName) {
            this.ociName = ociName;
        }

        /** {@return the OCI name, e.g. {@code SCMP_CMP_EQ}} */
        public String ociName() {
            return ociName;
        }

        /**
         * {@return the operator with this OCI name}
         *
         * @throws IllegalArgumentException naming the unknown operator
         */
        public static Operator parse(String name) {
            return Arrays.stream(values()).filter(o -> o.ociName.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown seccomp operator \"" + name + "\": known are "
                            + Arrays.stream(values()).map(Operator::ociName).collect(Collectors.joining(", "))));
        }
    }

    /**
     * A condition on one argument of a system call (OCI {@code args} entry).
     *
     * @param index    which argument, 0 to 5
     * @param value    the value compared with (the mask, for {@link Operator#MASKED_EQUAL})
     * @param valueTwo the value the masked argument must equal; 0 for the other operators
     * @param op       the comparison
     */
    public record Condition(int index, long value, long valueTwo, Operator op) {
        /** The most arguments a system call has. */
        public static final int MAX_ARGS = 6;

        public Condition {
            if (index < 0 || index >= MAX_ARGS) {
                throw new IllegalArgumentException("seccomp argument index " + index + " is not between 0 and 5");
            }
            Objects.requireNonNull(op);
        }

        /** {@return the condition "argument {@code index} {@code op} {@code value}"} */
        public static Condition of(int index, Operator op, long value) {
            return new Condition(index, value, 0, op);
        }

        /** {@return the condition "(argument {@code index} &amp; {@code mask}) == {@code expected}"} */
        public static Condition masked(int index, long mask, long expected) {
            return new Condition(index, mask, expected, Operator.MASKED_EQUAL);
        }
    }

    /**
     * What the filter does with some system calls (OCI {@code syscalls} entry).
     *
     * @param names     the system calls
     * @param action    what happens when the rule applies
     * @param errnoRet  the errno for {@link Action#ERRNO} and {@link Action#TRACE}; EPERM when empty
     * @param args      conditions that must all hold for the rule to apply; when some name the same argument,
     *                  any one of them suffices instead (runc's reading)
     */
    public record Rule(List<String> names, Action action, OptionalInt errnoRet, List<Condition> args) {
        /** The largest errno a filter can return. */
        public static final int MAX_ERRNO = 4095;

        public Rule {
            names = List.copyOf(names);
            args = List.copyOf(args);
            if (names.isEmpty()) {
                throw new IllegalArgumentException("a seccomp rule (" + action.ociName() + ") names no system call");
            }
            errnoRet.ifPresent(errno -> {
                if (errno < 0 || errno > MAX_ERRNO) {
                    throw new IllegalArgumentException("seccomp errnoRet " + errno + " is not between 0 and " + MAX_ERRNO);
                }
            });
        }

        /** {@return a rule applying {@code action} to the named system calls unconditionally} */
        public static Rule of(Action action, String... names) {
            return new Rule(List.of(names), action, OptionalInt.empty(), List.of());
        }

        /** {@return this rule, failing calls with {@code errno}} */
        public Rule withErrnoRet(int errno) {
            return new Rule(names, action, OptionalInt.of(errno), args);
        }

        /** {@return this rule, applying only when all {@code conditions} hold} */
        public Rule withArgs(Condition... conditions) {
            return new Rule(names, action, errnoRet, List.of(conditions));
        }
    }

    private final Action defaultAction;
    private final OptionalInt defaultErrnoRet;
    private final List<String> architectures;
    private final List<String> flags;
    private final List<Rule> syscalls;

    private SeccompProfile(Action defaultAction, OptionalInt defaultErrnoRet, List<String> architectures,
                           List<String> flags, List<Rule> syscalls) {
        this.defaultAction = Objects.requireNonNull(defaultAction);
        this.defaultErrnoRet = defaultErrnoRet;
        this.architectures = List.copyOf(architectures);
        this.flags = List.copyOf(flags);
        this.syscalls = List.copyOf(syscalls);
    }

    /** {@return a profile with no rules, applying {@code action} to every system call (OCI {@code defaultAction})} */
    public static SeccompProfile defaultAction(Action action) {
        return new SeccompProfile(action, OptionalInt.empty(), List.of(), List.of(), List.of());
    }

    /** {@return this profile with an errno for the default action (OCI {@code defaultErrnoRet})} */
    public SeccompProfile withDefaultErrnoRet(int errno) {
        if (errno < 0 || errno > Rule.MAX_ERRNO) {
            throw new IllegalArgumentException("seccomp defaultErrnoRet " + errno + " is not between 0 and " + Rule.MAX_ERRNO);
        }
        return new SeccompProfile(defaultAction, OptionalInt.of(errno), architectures, flags, syscalls);
    }

    /**
     * {@return this profile for these architectures (OCI {@code architectures}, e.g. {@code SCMP_ARCH_X86}):
     * the native one is always covered, and these are added to it}
     */
    public SeccompProfile withArchitectures(List<String> names) {
        return new SeccompProfile(defaultAction, defaultErrnoRet, names, flags, syscalls);
    }

    /** {@return this profile loaded with these flags (OCI {@code flags}, e.g. {@code SECCOMP_FILTER_FLAG_LOG})} */
    public SeccompProfile withFlags(List<String> names) {
        return new SeccompProfile(defaultAction, defaultErrnoRet, architectures, names, syscalls);
    }

    /** {@return this profile with one more rule, tried after the others} */
    public SeccompProfile withRule(Rule rule) {
        List<Rule> more = new ArrayList<>(syscalls);
        more.add(Objects.requireNonNull(rule));
        return withRules(more);
    }

    /** {@return this profile with these rules instead of its own} */
    public SeccompProfile withRules(List<Rule> rules) {
        return new SeccompProfile(defaultAction, defaultErrnoRet, architectures, flags, rules);
    }

    /** {@return what happens to a system call no rule decides} */
    public Action defaultAction() {
        return defaultAction;
    }

    /** {@return the errno of the default action} */
    public OptionalInt defaultErrnoRet() {
        return defaultErrnoRet;
    }

    /** {@return the architectures the profile lists; the native one is covered whether listed or not} */
    public List<String> architectures() {
        return architectures;
    }

    /** {@return the flags the filter is loaded with} */
    public List<String> flags() {
        return flags;
    }

    /** {@return the rules, in the order they are tried} */
    public List<Rule> syscalls() {
        return syscalls;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeccompProfile that && defaultAction == that.defaultAction
                && defaultErrnoRet.equals(that.defaultErrnoRet) && architectures.equals(that.architectures)
                && flags.equals(that.flags) && syscalls.equals(that.syscalls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultAction, defaultErrnoRet, architectures, flags, syscalls);
    }

    @Override
    public String toString() {
        return "SeccompProfile[default " + defaultAction.ociName().toLowerCase(Locale.ROOT) + ", "
                + syscalls.size() + " rules]";
    }
}
