package dev.jrun.internal.plan;

import dev.jrun.internal.seccomp.SeccompFilter;
import dev.jrun.launch.Arg;
import dev.jrun.launch.Step;

import java.util.List;

/**
 * Runs the container's seccomp filter, in Java, over the steps the stub makes
 * after loading it, so a profile that would stop the launch half-way (or
 * never let the command start) is refused with a sentence instead.
 */
final class SeccompPlanCheck {

    private SeccompPlanCheck() {
    }

    /**
     * @param later             the steps after the one that loads the filter, up to the last execve
     * @param noNewPrivsMovesIt whether setting no_new_privs would load the filter after every other step (it
     *                          is not set, and the filter notifies no agent: such a filter is loaded early)
     * @throws IllegalArgumentException naming the first step the filter would not let through
     */
    static void verify(SeccompFilter filter, List<Step> later, boolean noNewPrivsMovesIt) {
        for (Step step : later) {
            long[] args = step.args().stream().mapToLong(SeccompPlanCheck::value).toArray();
            int verdict = filter.nativeVerdict((int) step.call().number(), args);
            // A notified call waits for the agent, who has the listener by then (PlanCompiler hands it over first).
            if (SeccompFilter.letsThrough(verdict) || SeccompFilter.asksAgent(verdict)) {
                continue;
            }
            String denied = "the seccomp profile gives " + step.call().name() + " " + SeccompFilter.describe(verdict);
            if (step.call().name().equals("execve")) {
                throw new IllegalArgumentException(denied + ", so the command could never start");
            }
            throw new IllegalArgumentException(denied + ", and jrun needs it after loading the filter to "
                    + step.description() + (noNewPrivsMovesIt ? "; allow it, or set noNewPrivileges so that the"
                    + " filter is loaded after it" : ""));
        }
    }

    /** Immediate values are known; a pointer's address is not, so a filter sees 0 here. */
    private static long value(Arg arg) {
        return arg instanceof Arg.Value value ? value.value() : 0;
    }
}
