package dev.jrun.testing;

import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;

import java.util.List;
import java.util.stream.IntStream;

/** Finds steps in a launch plan and reads their arguments. */
public final class PlanSteps {

    private PlanSteps() {
    }

    /** {@return the indices of the steps that make {@code call}, in order} */
    public static List<Integer> indicesOf(LaunchPlan plan, Syscall call) {
        return IntStream.range(0, plan.steps().size()).filter(i -> plan.step(i).call().equals(call)).boxed().toList();
    }

    /** {@return the index of the first step that makes {@code call}; fails when there is none} */
    public static int firstIndexOf(LaunchPlan plan, Syscall call) {
        List<Integer> indices = indicesOf(plan, call);
        if (indices.isEmpty()) {
            throw new AssertionError("no " + call.name() + " step in the plan:\n" + plan);
        }
        return indices.getFirst();
    }

    /** {@return the steps that make {@code call}, in order} */
    public static List<Step> stepsOf(LaunchPlan plan, Syscall call) {
        return indicesOf(plan, call).stream().map(plan::step).toList();
    }

    /** {@return the string argument {@code index} of a step; fails when it is no string} */
    public static String text(Step step, int index) {
        if (step.args().get(index) instanceof Arg.Text text) {
            return text.value();
        }
        throw new AssertionError("argument " + index + " of " + step.render() + " is no string");
    }

    /** {@return the immediate value of argument {@code index} of a step; fails when it is no immediate} */
    public static long value(Step step, int index) {
        if (step.args().get(index) instanceof Arg.Value value) {
            return value.value();
        }
        throw new AssertionError("argument " + index + " of " + step.render() + " is no immediate value");
    }

    /**
     * {@return the container path each {@code move_mount} onto a descriptor attaches its mount on,
     * in order: the path of the step that opened that descriptor}
     */
    public static List<String> attachedPaths(LaunchPlan plan) {
        return stepsOf(plan, Syscall.MOVE_MOUNT).stream()
                .filter(move -> move.args().get(2) instanceof Arg.ResultOf)
                .map(move -> text(plan.step(((Arg.ResultOf) move.args().get(2)).step()), 1))
                .toList();
    }

    /**
     * {@return the plan, one line a step as {@code --dry-run} shows it but unnumbered, with step
     * numbers left out: {@code $fd} for a descriptor an earlier step returned, {@code goto N}}
     */
    public static List<String> lines(LaunchPlan plan) {
        return plan.steps().stream()
                .map(s -> (s.render() + s.renderConditions() + " # " + s.description())
                        .replaceAll("\\$\\d+", "\\$fd").replaceAll("goto \\d+", "goto N"))
                .toList();
    }
}
