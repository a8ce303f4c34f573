package dev.jrun.internal.seccomp;

import dev.jrun.model.SeccompProfile;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a profile that notifies a seccomp agent ({@code SCMP_ACT_NOTIFY}) must respect. Until the
 * agent has the filter's listener, a notified call waits forever; the container hands the listener
 * to the runtime with {@code write}, so that call may not be notified (runc refuses it too), and
 * neither may every call, as a default action.
 */
final class AgentRules {

    /** The calls the container makes between loading the filter and the agent having its listener. */
    private static final Set<String> HAND_OVER_CALLS = Set.of("write");

    private AgentRules() {
    }

    /**
     * @throws IllegalArgumentException if the default action notifies, or a rule notifies a call the
     *                                  hand-over of the listener makes
     */
    static void check(SeccompProfile profile) {
        if (profile.defaultAction() == Action.NOTIFY) {
            throw new IllegalArgumentException("SCMP_ACT_NOTIFY cannot be the default action: the container's own "
                    + "hand-over of the listener to the seccomp agent would wait for that agent");
        }
        List<Rule> rules = profile.syscalls();
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.action() == Action.NOTIFY) {
                for (String name : rule.names()) {
                    if (HAND_OVER_CALLS.contains(name)) {
                        throw new IllegalArgumentException("seccomp profile rule " + (i + 1) + ": SCMP_ACT_NOTIFY cannot"
                                + " be used for the " + name + " syscall, which hands the listener to the seccomp agent");
                    }
                }
            }
        }
    }

    /** {@return the profile's flags, with the listener's flag added when a rule notifies an agent} */
    static List<String> flagNames(SeccompProfile profile) {
        boolean notifies = profile.syscalls().stream().anyMatch(rule -> rule.action() == Action.NOTIFY);
        if (!notifies || profile.flags().contains(FilterFlags.NEW_LISTENER)) {
            return profile.flags();
        }
        List<String> names = new ArrayList<>(profile.flags());
        names.add(FilterFlags.NEW_LISTENER);
        return names;
    }
}
