package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Syscall;
import dev.jrun.model.IoPriority;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Personality;
import dev.jrun.model.Rlimit;
import dev.jrun.model.Scheduler;
import dev.jrun.model.TimeOffsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.jrun.testing.PlanSteps.firstIndexOf;
import static dev.jrun.testing.PlanSteps.indicesOf;
import static dev.jrun.testing.PlanSteps.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the time namespace's offsets, the execution domain, the scheduling policy and the I/O
 * priority go in the plan and how {@code --dry-run} shows them; the same whether jrun runs as root or not.
 */
@Tag("plan")
@ParameterizedClass
@MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
class ProcessAttributesPlanTest {

    private final HostFacts host;

    ProcessAttributesPlanTest(HostFacts host) {
        this.host = host;
    }

    private static Container.Builder withTimeNamespace() {
        return Container.builder().command("true").namespaces(NamespaceSet.isolated().with(Namespace.TIME));
    }

    @Test
    void theOffsetsAreWrittenAfterTheUnshareAndBeforeTheClone() {
        LaunchPlan plan = Plans.of(withTimeNamespace()
                .timeOffsets(new TimeOffsets(Duration.ofMillis(-1500), Duration.ofDays(1))), host);

        int unshare = firstIndexOf(plan, Syscall.UNSHARE);
        List<Integer> writes = indicesOf(plan, Syscall.WRITE);
        assertThat(lines(plan).get(unshare + 1)).startsWith("openat(AT_FDCWD, \"/proc/self/timens_offsets\", O_WRONLY|O_CLOEXEC");
        assertThat(writes.getFirst()).isEqualTo(unshare + 2);
        assertThat(plan.step(unshare + 2).description())
                .isEqualTo("set the time namespace's clock offsets (monotonic -2 500000000, boottime 86400 0)");
        assertThat(unshare + 3).isLessThan(firstIndexOf(plan, Syscall.CLONE));
    }

    @Test
    void aTimeNamespaceWithoutOffsetsWritesNone() {
        LaunchPlan plan = Plans.of(withTimeNamespace(), host);

        assertThat(lines(plan)).noneMatch(line -> line.contains("timens_offsets"));
    }

    @Test
    void offsetsWithoutANewTimeNamespaceAreRefused() {
        assertThatThrownBy(() -> Plans.of(Container.builder().command("true")
                .timeOffsets(new TimeOffsets(Duration.ZERO, Duration.ofSeconds(1))), host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("time offsets need a new time namespace (Namespace.TIME)");
    }

    @Test
    void theAttributesAreSetAfterTheRlimitsAndBeforeTheCommand() {
        LaunchPlan plan = Plans.of(Container.builder().command("/bin/true")
                .rlimit(new Rlimit(Rlimit.Type.NOFILE, 1024, 1024))
                .personality(Personality.LINUX32)
                .scheduler(new Scheduler(Scheduler.Policy.IDLE, 0, 0, Set.of(Scheduler.Flag.RESET_ON_FORK), 0, 0, 0))
                .ioPriority(new IoPriority(IoPriority.IoClass.IDLE, 7)), host);

        List<String> lines = lines(plan);
        int personality = firstIndexOf(plan, Syscall.PERSONALITY);
        assertThat(lines.get(personality)).isEqualTo("personality(PER_LINUX32) # set the execution domain LINUX32");
        assertThat(lines.get(personality + 1)).isEqualTo("sched_setattr(0, {size=56, sched_policy=SCHED_IDLE,"
                + " sched_flags=SCHED_FLAG_RESET_ON_FORK, sched_nice=0, sched_priority=0}, 0)"
                + " # set the scheduling policy SCHED_IDLE");
        assertThat(lines.get(personality + 2)).isEqualTo("ioprio_set(IOPRIO_WHO_PROCESS, 0,"
                + " IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 7)) # set the I/O priority IDLE 7");
        assertThat(personality).isGreaterThan(firstIndexOf(plan, Syscall.PRLIMIT64));
        assertThat(personality + 2).isLessThan(firstIndexOf(plan, Syscall.CAPSET));
    }

    @Test
    void withoutThemTheCommandInheritsTheLaunchersAndThePlanHasNoStep() {
        LaunchPlan plan = Plans.of(Container.builder().command("/bin/true"), host);

        assertThat(indicesOf(plan, Syscall.PERSONALITY)).isEmpty();
        assertThat(indicesOf(plan, Syscall.SCHED_SETATTR)).isEmpty();
        assertThat(indicesOf(plan, Syscall.IOPRIO_SET)).isEmpty();
    }

    @Test
    void schedulerValuesThatDoNotFitThePolicyAreRefusedByName() {
        assertThatThrownBy(() -> Scheduler.of(Scheduler.Policy.OTHER, 20, 0))
                .hasMessage("nice 20 is not between -20 and 19");
        assertThatThrownBy(() -> Scheduler.of(Scheduler.Policy.BATCH, 0, 1))
                .hasMessage("priority applies to SCHED_FIFO and SCHED_RR only: SCHED_BATCH takes 0, not 1");
        assertThatThrownBy(() -> new Scheduler(Scheduler.Policy.RR, 0, 10, Set.of(), 1, 0, 0))
                .hasMessage("runtime, deadline and period apply to SCHED_DEADLINE only, not SCHED_RR");
        assertThatThrownBy(() -> new Scheduler(Scheduler.Policy.DEADLINE, 0, 0, Set.of(), 20, 10, 30))
                .hasMessageStartingWith("SCHED_DEADLINE needs 0 < runtime <= deadline <= period");
        assertThatThrownBy(() -> new IoPriority(IoPriority.IoClass.BE, -1))
                .hasMessage("I/O priority -1 is not between 0 and 7");
    }
}
