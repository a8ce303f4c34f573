package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.model.IoPriority;
import dev.jrun.model.Scheduler;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Maps a process's {@code scheduler} and {@code ioPriority} onto {@link Container.Builder}: for the
 * container's process and for {@code exec}'s alike. Names are checked here, at their JSON path; the
 * rules between the values are {@link Scheduler}'s and {@link IoPriority}'s, reported at the object's path.
 */
final class SchedulingMapping {

    private static final String IO_CLASS_PREFIX = "IOPRIO_CLASS_";

    private SchedulingMapping() {
    }

    /** Maps both fields of {@code process}, whose JSON path is {@code at} ("process." or ""). */
    static void apply(Spec.Process process, String at, Container.Builder builder, Problems problems) {
        if (process.scheduler() != null) {
            scheduler(process.scheduler(), at + "scheduler", builder, problems);
        }
        if (process.ioPriority() != null) {
            ioPriority(process.ioPriority(), at + "ioPriority", builder, problems);
        }
    }

    private static void scheduler(Spec.Scheduler scheduler, String at, Container.Builder builder, Problems problems) {
        Scheduler.Policy policy = policy(scheduler.policy(), at + ".policy", problems);
        Set<Scheduler.Flag> flags = flags(scheduler.flags(), at + ".flags", problems);
        if (policy == null || flags == null) {
            return;
        }
        problems.at(at, () -> builder.scheduler(new Scheduler(policy, orZero(scheduler.nice()),
                orZero(scheduler.priority()), flags, orZero(scheduler.runtime()), orZero(scheduler.deadline()),
                orZero(scheduler.period()))));
    }

    private static Scheduler.Policy policy(String name, String at, Problems problems) {
        if (name == null) {
            problems.add(at, "missing");
            return null;
        }
        for (Scheduler.Policy policy : Scheduler.Policy.values()) {
            if (policy.ociName().equals(name)) {
                return policy;
            }
        }
        problems.add(at, "unknown policy \"" + name + "\" (known: " + names(Scheduler.Policy.values(), Scheduler.Policy::ociName) + ")");
        return null;
    }

    /** {@return the flags, or null when one is unknown (each reported)} */
    private static Set<Scheduler.Flag> flags(List<String> names, String at, Problems problems) {
        Set<Scheduler.Flag> flags = EnumSet.noneOf(Scheduler.Flag.class);
        boolean known = true;
        List<String> given = names == null ? List.of() : names;
        for (int i = 0; i < given.size(); i++) {
            String name = given.get(i);
            Scheduler.Flag flag = Arrays.stream(Scheduler.Flag.values())
                    .filter(f -> f.ociName().equals(name)).findFirst().orElse(null);
            if (flag == null) {
                problems.add(at + "[" + i + "]", "unknown flag \"" + name + "\" (known: "
                        + names(Scheduler.Flag.values(), Scheduler.Flag::ociName) + ")");
                known = false;
            } else {
                flags.add(flag);
            }
        }
        return known ? flags : null;
    }

    /** {@code ioPriority} is kept as JSON (its {@code class} cannot be a record component): checked by hand. */
    private static void ioPriority(Object json, String at, Container.Builder builder, Problems problems) {
        if (!(json instanceof Map<?, ?> fields)) {
            problems.add(at, "must be an object with class and priority");
            return;
        }
        IoPriority.IoClass ioClass = ioClass(fields.get("class"), at + ".class", problems);
        Object priority = fields.get("priority");
        if (priority != null && !(priority instanceof Integer)) {
            problems.add(at + ".priority", "must be a number from " + IoPriority.HIGHEST + " to " + IoPriority.LOWEST);
            return;
        }
        if (ioClass != null) {
            problems.at(at + ".priority", () -> builder.ioPriority(new IoPriority(ioClass, orZero((Integer) priority))));
        }
    }

    private static IoPriority.IoClass ioClass(Object name, String at, Problems problems) {
        if (name == null) {
            problems.add(at, "missing");
            return null;
        }
        for (IoPriority.IoClass ioClass : IoPriority.IoClass.values()) {
            if ((IO_CLASS_PREFIX + ioClass.name()).equals(name)) {
                return ioClass;
            }
        }
        problems.add(at, "unknown class " + (name instanceof String ? "\"" + name + "\"" : name) + " (known: "
                + names(IoPriority.IoClass.values(), c -> IO_CLASS_PREFIX + c.name()) + ")");
        return null;
    }

    private static <T> String names(T[] values, Function<T, String> name) {
        return Arrays.stream(values).map(name).collect(Collectors.joining(", "));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
