package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.seccomp.SeccompCompiler;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Operator;
import dev.jrun.model.SeccompProfile.Rule;
import dev.jrun.model.SeccompProfile;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * {@code linux.seccomp} onto a {@link SeccompProfile}. Without it, the
 * container has no seccomp filter, as with runc; a profile the kernel filter
 * cannot express (an unknown action or architecture, a system call no ABI of
 * this machine has where skipping it could let the call through) is refused
 * at the rule that names it, or at the section. A call this machine's ABIs
 * lack is skipped, as by runc (see {@link SeccompProfile}). A profile that notifies a seccomp agent
 * ({@code SCMP_ACT_NOTIFY}) needs the agent's socket at {@code listenerPath}
 * ({@link SeccompAgentSocket} sends it the listener); without such rules,
 * {@code listenerPath} is ignored, as by runc.
 */
final class SeccompMapping {

    /** The file type bits of a mode, and the type of a socket ({@code <sys/stat.h>}). */
    private static final int S_IFMT = Libc.S_IFMT();
    private static final int S_IFSOCK = Libc.S_IFSOCK();

    private SeccompMapping() {
    }

    /**
     * Sets the container's seccomp filter from {@code seccomp} ({@code null}: none).
     *
     * @param path where the section is: {@code linux.seccomp}
     */
    static void apply(Spec.Seccomp seccomp, String path, Container.Builder builder, Problems problems) {
        if (seccomp == null) {
            builder.seccompUnconfined();
            return;
        }
        profile(seccomp, path, problems).ifPresent(profile -> {
            try {
                builder.seccomp(profile);
            } catch (IllegalArgumentException e) {
                int rule = firstRefusedRule(profile);
                problems.add(rule < 0 ? path : path + ".syscalls[" + rule + "]", e.getMessage());
            }
        });
    }

    /**
     * {@return the profile {@code seccomp} describes, or empty when it has problems}
     *
     * @param path where the section is: {@code linux.seccomp}, or empty for a file of its own
     */
    static Optional<SeccompProfile> profile(Spec.Seccomp seccomp, String path, Problems problems) {
        String at = path.isEmpty() ? "" : path + ".";
        if (notifiesAgent(seccomp)) {
            checkListenerPath(seccomp.listenerPath(), at + "listenerPath", problems);
        }
        if (seccomp.defaultAction() == null) {
            problems.add(at + "defaultAction", "missing");
            return Optional.empty();
        }
        Action defaultAction = parse(seccomp.defaultAction(), Action::parse, at + "defaultAction", problems);
        List<Rule> rules = new ArrayList<>();
        List<Spec.SeccompRule> entries = seccomp.syscalls() == null ? List.of() : seccomp.syscalls();
        for (int i = 0; i < entries.size(); i++) {
            rule(entries.get(i), at + "syscalls[" + i + "]", problems).ifPresent(rules::add);
        }
        if (defaultAction == null || rules.size() != entries.size()) {
            return Optional.empty();
        }
        SeccompProfile profile = SeccompProfile.defaultAction(defaultAction)
                .withArchitectures(orEmpty(seccomp.architectures()))
                .withFlags(orEmpty(seccomp.flags()))
                .withRules(rules);
        if (seccomp.defaultErrnoRet() != null) {
            return Optional.ofNullable(problems.at(at + "defaultErrnoRet",
                    () -> profile.withDefaultErrnoRet(seccomp.defaultErrnoRet()), null));
        }
        return Optional.of(profile);
    }

    /** {@return whether a rule of {@code seccomp} notifies a seccomp agent ({@code SCMP_ACT_NOTIFY})} */
    static boolean notifiesAgent(Spec.Seccomp seccomp) {
        return seccomp.syscalls() != null && seccomp.syscalls().stream()
                .anyMatch(rule -> Action.NOTIFY.ociName().equals(rule.action()));
    }

    /** The agent's socket must be there before anything is created: the listener is given to it during the start. */
    private static void checkListenerPath(String listenerPath, String path, Problems problems) {
        if (listenerPath == null || listenerPath.isEmpty()) {
            problems.add(path, "missing: SCMP_ACT_NOTIFY needs the Unix socket of a seccomp agent to send the listener to");
            return;
        }
        Path socket = Path.of(listenerPath);
        try {
            int mode = (Integer) Files.getAttribute(socket, "unix:mode");
            if ((mode & S_IFMT) != S_IFSOCK) {
                problems.add(path, "failed to connect with seccomp agent: " + socket + " is not a socket");
            }
        } catch (NoSuchFileException e) {
            problems.add(path, "failed to connect with seccomp agent: " + socket + " does not exist (ENOENT)");
        } catch (IOException e) {
            problems.add(path, "failed to connect with seccomp agent: " + socket + ": " + e.getMessage());
        }
    }

    private static Optional<Rule> rule(Spec.SeccompRule entry, String path, Problems problems) {
        int before = problems.count();
        Action action = entry.action() == null ? null : parse(entry.action(), Action::parse, path + ".action", problems);
        if (entry.action() == null) {
            problems.add(path + ".action", "missing");
        }
        List<Condition> conditions = new ArrayList<>();
        List<Spec.SeccompArg> args = entry.args() == null ? List.of() : entry.args();
        for (int i = 0; i < args.size(); i++) {
            condition(args.get(i), path + ".args[" + i + "]", problems).ifPresent(conditions::add);
        }
        if (problems.count() != before) {
            return Optional.empty();
        }
        OptionalInt errnoRet = entry.errnoRet() == null ? OptionalInt.empty() : OptionalInt.of(entry.errnoRet());
        return Optional.ofNullable(problems.at(path,
                () -> new Rule(orEmpty(entry.names()), action, errnoRet, conditions), null));
    }

    private static Optional<Condition> condition(Spec.SeccompArg arg, String path, Problems problems) {
        if (arg.index() == null || arg.op() == null) {
            problems.add(path, "needs an index and an op");
            return Optional.empty();
        }
        Operator op = parse(arg.op(), Operator::parse, path + ".op", problems);
        var value = Unsigned.bits(orZero(arg.value()), path + ".value", problems);
        var valueTwo = Unsigned.bits(orZero(arg.valueTwo()), path + ".valueTwo", problems);
        if (op == null || value.isEmpty() || valueTwo.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(problems.at(path,
                () -> new Condition(arg.index(), value.getAsLong(), valueTwo.getAsLong(), op), null));
    }

    /**
     * {@return the index of the first rule the filter compiler refuses on its own (one naming an
     * unknown system call), or -1 when no single rule is to blame (an unknown architecture or flag)}
     */
    private static int firstRefusedRule(SeccompProfile profile) {
        if (!compiles(profile.withRules(List.of()))) {
            return -1;
        }
        List<Rule> rules = profile.syscalls();
        for (int i = 0; i < rules.size(); i++) {
            if (!compiles(profile.withRules(List.of(rules.get(i))))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean compiles(SeccompProfile profile) {
        try {
            SeccompCompiler.compile(profile);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static <T> T parse(String name, Function<String, T> parser, String path, Problems problems) {
        return problems.at(path, () -> parser.apply(name), null);
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static BigInteger orZero(BigInteger value) {
        return value == null ? BigInteger.ZERO : value;
    }
}
