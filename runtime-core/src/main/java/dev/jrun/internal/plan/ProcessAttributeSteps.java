package dev.jrun.internal.plan;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.sched_attr;
import dev.jrun.launch.Arg;
import dev.jrun.model.IoPriority;
import dev.jrun.model.Personality;
import dev.jrun.model.Scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Syscall.IOPRIO_SET;
import static dev.jrun.launch.Syscall.PERSONALITY;
import static dev.jrun.launch.Syscall.SCHED_SETATTR;

/**
 * The steps that set what the command inherits across {@code execve} from the process that runs it:
 * its execution domain, CPU scheduling and I/O priority. They run as the container's root, before the
 * set-up is reported and before capabilities are dropped (a real-time policy or class needs
 * CAP_SYS_NICE), as runc sets them in its init; a value the kernel refuses fails {@code create}, named.
 */
final class ProcessAttributeSteps {

    private ProcessAttributeSteps() {
    }

    /** Adds a step for each attribute that is set. */
    static void add(PlanBuilder plan, Optional<Personality> personality, Optional<Scheduler> scheduler,
                    Optional<IoPriority> ioPriority) {
        personality.ifPresent(domain -> plan.add("set the execution domain " + domain, PERSONALITY,
                Arg.named(domain.domain(), "PER_" + domain.name())));
        scheduler.ifPresent(policy -> plan.add("set the scheduling policy " + policy.policy().ociName(),
                SCHED_SETATTR, number(0), attributes(policy), number(0)));
        ioPriority.ifPresent(priority -> plan.add("set the I/O priority " + priority.ioClass() + " "
                        + priority.priority(), IOPRIO_SET, Arg.named(Libc.IOPRIO_WHO_PROCESS(), "IOPRIO_WHO_PROCESS"),
                number(0), Arg.named(priority.value(), "IOPRIO_PRIO_VALUE(IOPRIO_CLASS_" + priority.ioClass()
                        + ", " + priority.priority() + ")")));
    }

    private static Arg attributes(Scheduler scheduler) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = sched_attr.allocate(arena);
            sched_attr.size(attr, Libc.SCHED_ATTR_SIZE_VER1());
            sched_attr.sched_policy(attr, scheduler.policy().number());
            sched_attr.sched_flags(attr, scheduler.flagBits());
            sched_attr.sched_nice(attr, scheduler.nice());
            sched_attr.sched_priority(attr, scheduler.priority());
            sched_attr.sched_runtime(attr, scheduler.runtime());
            sched_attr.sched_deadline(attr, scheduler.deadline());
            sched_attr.sched_period(attr, scheduler.period());
            String flags = scheduler.flags().isEmpty() ? "0" : scheduler.flags().stream()
                    .map(Scheduler.Flag::ociName).sorted().collect(Collectors.joining("|"));
            String text = "{size=" + Libc.SCHED_ATTR_SIZE_VER1() + ", sched_policy=" + scheduler.policy().ociName()
                    + ", sched_flags=" + flags + ", sched_nice=" + scheduler.nice()
                    + ", sched_priority=" + scheduler.priority() + deadlineText(scheduler) + "}";
            return new Arg.Bytes(attr.toArray(ValueLayout.JAVA_BYTE), text);
        }
    }

    private static String deadlineText(Scheduler scheduler) {
        return scheduler.policy() != Scheduler.Policy.DEADLINE ? "" : ", sched_runtime=" + scheduler.runtime()
                + ", sched_deadline=" + scheduler.deadline() + ", sched_period=" + scheduler.period();
    }
}
