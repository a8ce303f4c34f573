package dev.jrun.internal.seccomp;

import dev.jrun.model.SeccompProfile;
import dev.jrun.model.SeccompProfile.Condition;
import dev.jrun.model.SeccompProfile.Rule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A profile's rules resolved for each ABI a filter covers: by system call
 * number, in profile order for each call.
 *
 * <p>A name is looked up in each ABI's table. A name an ABI lacks is skipped
 * for it ({@code bdflush} on x86-64, {@code arch_prctl} on i386), as runc does,
 * so that a profile written for several architectures works. A name no x86 ABI
 * has (a call of another architecture, one newer than the bindings, or a typo)
 * is skipped only when that cannot let a call through which the rule would
 * stop: when the rule lets its calls through, or the default action stops
 * every call anyway. Otherwise it is refused, naming the rule.
 *
 * <p>When conditions of one rule name the same argument more than once
 * ({@code arg0 == 100}, {@code arg0 == 9001}), any one of them suffices, as in
 * runc, where each becomes a rule of its own; otherwise all must hold.
 */
final class ProfileRules {

    /** A rule for one system call: conditions that must all hold, and the verdict then. */
    record CompiledRule(List<Condition> conditions, int verdict) {
    }

    /**
     * One ABI's rules.
     *
     * @param byNumber     the rules of each call the profile names, in profile order
     * @param highestNamed the highest call number the profile names for this ABI, when it names one
     */
    record AbiRules(SortedMap<Integer, List<CompiledRule>> byNumber, OptionalInt highestNamed) {
    }

    private final List<Abi> covered;
    private final Map<Abi, SortedMap<Integer, List<CompiledRule>>> byAbi = new EnumMap<>(Abi.class);
    private final Map<Abi, Integer> highestNamed = new EnumMap<>(Abi.class);

    private ProfileRules(List<Abi> covered) {
        this.covered = covered;
        covered.forEach(abi -> byAbi.put(abi, new TreeMap<>()));
    }

    /**
     * {@return the profile's rules for each ABI of {@code covered}}
     *
     * @throws IllegalArgumentException for a name no x86 ABI has, where skipping it could let a call through
     */
    static Map<Abi, AbiRules> resolve(SeccompProfile profile, List<Abi> covered) {
        ProfileRules resolved = new ProfileRules(covered);
        int defaultVerdict = Verdicts.of(profile.defaultAction(), profile.defaultErrnoRet());
        List<Rule> rules = profile.syscalls();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            int verdict = Verdicts.of(rule.action(), rule.errnoRet());
            for (String name : rule.names()) {
                if (!resolved.add(name, alternatives(rule.args()), verdict) && !resolved.anyAbiHas(name)) {
                    refuseIfSkippingLetsThrough(i, rule, name, verdict, profile, defaultVerdict);
                }
            }
        }
        Map<Abi, AbiRules> result = new EnumMap<>(Abi.class);
        resolved.byAbi.forEach((abi, byNumber) -> result.put(abi, new AbiRules(Collections.unmodifiableSortedMap(byNumber),
                resolved.highestNamed.containsKey(abi) ? OptionalInt.of(resolved.highestNamed.get(abi)) : OptionalInt.empty())));
        return result;
    }

    /** Adds the rule for {@code name} to each covered ABI that has the call; {@return whether one has it} */
    private boolean add(String name, List<List<Condition>> alternatives, int verdict) {
        boolean found = false;
        for (Abi abi : covered) {
            Integer number = abi.table().number(name).orElse(null);
            if (number == null) {
                continue;
            }
            found = true;
            highestNamed.merge(abi, number, Math::max);
            for (List<Condition> conditions : alternatives) {
                // On i386 a rule whose conditions a 32-bit argument can never meet never applies.
                Optional<List<Condition>> applied = abi.wideArguments()
                        ? Optional.of(conditions) : ThirtyTwoBitArguments.narrow(conditions);
                applied.ifPresent(checked -> byAbi.get(abi).computeIfAbsent(number, n -> new ArrayList<>())
                        .add(new CompiledRule(checked, verdict)));
            }
        }
        return found;
    }

    /** {@return whether an ABI of this machine, covered or not, has a call named {@code name}} */
    private boolean anyAbiHas(String name) {
        return Arrays.stream(Abi.values()).anyMatch(abi -> abi.table().number(name).isPresent());
    }

    /** runc's reading of a rule whose conditions name one argument more than once: each is a rule of its own. */
    private static List<List<Condition>> alternatives(List<Condition> conditions) {
        long arguments = conditions.stream().mapToInt(Condition::index).distinct().count();
        return arguments == conditions.size() ? List.of(conditions) : conditions.stream().map(List::of).toList();
    }

    private static void refuseIfSkippingLetsThrough(int index, Rule rule, String name, int verdict,
                                                    SeccompProfile profile, int defaultVerdict) {
        if (Verdicts.letsThrough(verdict) || Verdicts.stops(defaultVerdict)) {
            return;
        }
        throw new IllegalArgumentException("seccomp profile rule " + (index + 1) + " (" + rule.action().ociName()
                + ") names unknown system call \"" + name + "\": no ABI of this machine ("
                + Arrays.stream(Abi.values()).map(Abi::ociName).collect(Collectors.joining(", "))
                + ") has such a call, and without the rule the call would get the default action, "
                + profile.defaultAction().ociName());
    }
}
