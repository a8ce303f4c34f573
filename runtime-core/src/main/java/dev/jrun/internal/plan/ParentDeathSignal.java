package dev.jrun.internal.plan;

import dev.jrun.internal.flags.Flag;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Syscall.PRCTL;

/**
 * The step that makes a container's first process die with its parent (the
 * thread that started the launch stub): SIGKILL when that thread ends. The
 * kernel clears this setting whenever the process's user or group IDs
 * change, so the plan sets it again after each change.
 */
final class ParentDeathSignal {

    private ParentDeathSignal() {
    }

    /** Adds the step; {@code why} completes its description. */
    static void arm(PlanBuilder plan, String why) {
        plan.add("die with the runtime (SIGKILL when its thread ends)" + why, PRCTL, Flag.PR_SET_PDEATHSIG.arg(),
                Flag.SIGKILL.arg(), number(0), number(0), number(0));
    }
}
