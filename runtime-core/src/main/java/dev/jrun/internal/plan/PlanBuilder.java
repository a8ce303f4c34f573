package dev.jrun.internal.plan;

import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Appends steps to a launch plan; forward jumps name a {@link Label} bound later. */
final class PlanBuilder {

    /** A step index not yet known when the jump to it is added. */
    static final class Label {
        private int index = -1;
    }

    private record Pending(Syscall call, List<Arg> args, boolean mayFail, Set<Integer> tolerated, Label target,
                           Label skipTarget, String description) {
    }

    private final List<Pending> steps = new ArrayList<>();

    /** Adds a step that must succeed; returns its index. */
    int add(String description, Syscall call, Arg... args) {
        return append(new Pending(call, List.of(args), false, Set.of(), null, null, description));
    }

    /** Adds a step whose failure is ignored; returns its index. */
    int addMayFail(String description, Syscall call, Arg... args) {
        return append(new Pending(call, List.of(args), true, Set.of(), null, null, description));
    }

    /** Adds a step that may fail with one of {@code errnos} (the next step runs), but no other; returns its index. */
    int addTolerating(Set<Integer> errnos, String description, Syscall call, Arg... args) {
        return append(new Pending(call, List.of(args), false, errnos, null, null, description));
    }

    /**
     * Adds a step that may fail with one of {@code errnos}, and then continues at {@code target},
     * skipping the steps that need what it failed to make; returns its index.
     */
    int addSkippingOn(Set<Integer> errnos, Label target, String description, Syscall call, Arg... args) {
        return append(new Pending(call, List.of(args), false, errnos, null, target, description));
    }

    /** Adds a step that continues at {@code target} when it returns a positive value; returns its index. */
    int addJumpIfPositive(Label target, String description, Syscall call, Arg... args) {
        return append(new Pending(call, List.of(args), false, Set.of(), target, null, description));
    }

    /** Makes {@code label} refer to the next step added. */
    void bind(Label label) {
        label.index = steps.size();
    }

    LaunchPlan build() {
        List<Step> built = new ArrayList<>(steps.size());
        for (Pending p : steps) {
            // openat2's EAGAIN says a mount or rename raced its walk beneath a root: walk again.
            built.add(new Step(p.call(), p.args(), p.mayFail(), p.tolerated(), index(p.target(), p),
                    index(p.skipTarget(), p), p.call() == Syscall.OPENAT2, p.description()));
        }
        return new LaunchPlan(built);
    }

    private static int index(Label label, Pending step) {
        if (label == null) {
            return -1;
        }
        if (label.index < 0) {
            throw new IllegalStateException("unbound jump target in \"" + step.description() + "\"");
        }
        return label.index;
    }

    private int append(Pending step) {
        steps.add(step);
        return steps.size() - 1;
    }
}
