package dev.jrun.launch;

import java.util.List;

/**
 * The system calls that turn a freshly spawned launch stub into a container's
 * first process: compiled from the container's configuration by Java, executed
 * one by one by the stub, and printable ({@code jrun run --dry-run}).
 *
 * <p>A plan is immutable. Its steps run in order; a step that fails, unless it
 * {@linkplain Step#mayFail() may fail}, ends the launch with that step's
 * description and the errno.
 *
 * @param steps the steps in order
 */
public record LaunchPlan(List<Step> steps) {

    public LaunchPlan {
        steps = List.copyOf(steps);
        for (Step step : steps) {
            if (Math.max(step.jumpIfPositive(), step.jumpIfTolerated()) >= steps.size()) {
                throw new IllegalArgumentException("step \"" + step.description() + "\" jumps past the end");
            }
        }
    }

    /** {@return the step at an index} */
    public Step step(int index) {
        return steps.get(index);
    }

    /**
     * {@return the plan, one step a line, like strace output with a comment saying why; BPF programs
     * (seccomp filters) follow, listed as pseudo-code}
     */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String call = step.render() + step.renderConditions();
            out.append(String.format("%3d  %-72s # %s%n", i, call, step.description()));
        }
        for (int i = 0; i < steps.size(); i++) {
            for (Arg arg : steps.get(i).args()) {
                if (arg instanceof Arg.FilterProgram program) {
                    out.append(String.format("%nBPF program of step %d (%d instructions):%n", i, program.length()))
                            .append(program.listing().get());
                }
            }
        }
        return out.toString();
    }
}
