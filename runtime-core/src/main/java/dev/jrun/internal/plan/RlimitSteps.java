package dev.jrun.internal.plan;

import dev.jrun.bindings.rlimit64;
import dev.jrun.launch.Arg;
import dev.jrun.model.Rlimit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Syscall.PRLIMIT64;

/**
 * The steps that set the container's rlimits: still as root (raising a hard limit needs
 * CAP_SYS_RESOURCE) and before the set-up is reported, as runc sets them before its exec FIFO.
 * A limit the kernel refuses then fails {@code create} with the limit named, not {@code start}
 * as if the command could not be executed.
 */
final class RlimitSteps {

    private RlimitSteps() {
    }

    /** Adds a step for each limit. */
    static void add(PlanBuilder plan, List<Rlimit> rlimits) {
        rlimits.forEach(limit -> add(plan, limit));
    }

    private static void add(PlanBuilder plan, Rlimit limit) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = rlimit64.allocate(arena);
            rlimit64.rlim_cur(value, limit.soft());
            rlimit64.rlim_max(value, limit.hard());
            String text = "{rlim_cur=" + render(limit.soft()) + ", rlim_max=" + render(limit.hard()) + "}";
            plan.add("set " + limit, PRLIMIT64, number(0), Arg.named(limit.type().number(), limit.type().ociName()),
                    new Arg.Bytes(value.toArray(ValueLayout.JAVA_BYTE), text), NULL);
        }
    }

    private static String render(long limit) {
        return limit == Rlimit.UNLIMITED ? "RLIM_INFINITY" : Long.toUnsignedString(limit);
    }
}
