package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

import static dev.jrun.testing.PlanSteps.attachedPaths;
import static dev.jrun.testing.PlanSteps.firstIndexOf;
import static dev.jrun.testing.PlanSteps.indicesOf;
import static dev.jrun.testing.PlanSteps.stepsOf;
import static dev.jrun.testing.PlanSteps.text;
import static dev.jrun.testing.PlanSteps.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch plan of a default container (host sandbox, isolated namespaces), the same whether jrun
 * runs as root (the sandbox's root is then an unprivileged host user) or not (rootless).
 */
@Tag("plan")
@ParameterizedClass
@MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
class DefaultPlanTest {

    private final HostFacts host;
    private final LaunchPlan plan;

    DefaultPlanTest(HostFacts host) {
        this.host = host;
        this.plan = Plans.of(Container.builder().command("true").hostname("box"), host);
    }

    @Test
    void beginsByClosingEveryDescriptorFromSixUp() {
        Step first = plan.step(0);

        assertThat(first.call()).isEqualTo(Syscall.CLOSE_RANGE);
        assertThat(value(first, 0)).isEqualTo(6);
        assertThat(value(first, 1)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void clonesTheFirstProcessAsTheJvmsChildInTheNewNamespaces() {
        long flags = value(plan.step(firstIndexOf(plan, Syscall.CLONE)), 0);

        assertThat(flags & Libc.CLONE_PARENT()).as("CLONE_PARENT").isNotZero();
        for (Namespace namespace : NamespaceSet.isolated().created()) {
            if (namespace != Namespace.CGROUP) {
                assertThat(flags & namespace.cloneFlag()).as(namespace.name()).isEqualTo(namespace.cloneFlag());
            }
        }
        assertThat(flags & Libc.CLONE_NEWUSER()).as("a user namespace: its root is an unprivileged host user")
                .isEqualTo(Libc.CLONE_NEWUSER());
    }

    @Test
    void createsTheCgroupNamespaceAfterTheClone() {
        int clone = firstIndexOf(plan, Syscall.CLONE);
        int unshare = firstIndexOf(plan, Syscall.UNSHARE);

        assertThat(unshare).isGreaterThan(clone);
        assertThat(value(plan.step(unshare), 0)).isEqualTo(Libc.CLONE_NEWCGROUP());
    }

    @Test
    void cloneJumpsToReportingThePidAndTheStubThenExits() {
        int clone = firstIndexOf(plan, Syscall.CLONE);
        int last = plan.steps().size() - 1;
        Step report = plan.step(last - 1);

        assertThat(plan.step(clone).jumpIfPositive()).isEqualTo(last - 1);
        assertThat(report.description()).isEqualTo("report the container's PID to the runtime");
        assertThat(report.call()).isEqualTo(Syscall.WRITE);
        assertThat(report.args()).containsExactly(Arg.number(5), new Arg.AddressOfResult(clone), Arg.number(8));
        assertThat(report.render()).isEqualTo("write(5, &$" + clone + ", 8)");
        assertThat(plan.step(last).call()).isEqualTo(Syscall.EXIT_GROUP);
        assertThat(value(plan.step(last), 0)).isZero();
    }

    @Test
    void setsTheHostname() {
        assertThat(stepsOf(plan, Syscall.SETHOSTNAME))
                .singleElement()
                .satisfies(step -> {
                    assertThat(text(step, 0)).isEqualTo("box");
                    assertThat(value(step, 1)).isEqualTo(3);
                    assertThat(step.description()).isEqualTo("set hostname box");
                });
    }

    @Test
    void mountsAFreshProcInTheNewRoot() {
        Step proc = stepsOf(plan, Syscall.MOUNT).stream()
                .filter(step -> step.args().getFirst().equals(Arg.text("proc")))
                .findFirst().orElseThrow();

        assertThat(text(proc, 1)).as("made on the scratch root, then moved").isEqualTo("/staging");
        assertThat(text(proc, 2)).isEqualTo("proc");
        assertThat(value(proc, 3)).isEqualTo(Libc.MS_NOSUID() | Libc.MS_NODEV() | Libc.MS_NOEXEC());
        assertThat(proc.description()).isEqualTo("mount proc on /proc");
        assertThat(attachedPaths(plan)).startsWith("/proc");
    }

    @Test
    void bringsUpLoopbackInTheNewNetworkNamespace() {
        int socket = firstIndexOf(plan, Syscall.SOCKET);

        assertThat(stepsOf(plan, Syscall.IOCTL))
                .anySatisfy(step -> {
                    assertThat(step.args().get(0)).isEqualTo(new Arg.ResultOf(socket));
                    assertThat(value(step, 1)).isEqualTo(Libc.SIOCSIFFLAGS());
                });
    }

    @Test
    void searchesPathWithOneExecvePerDirectoryAndOnlyTheLastMustSucceed() {
        var execs = stepsOf(plan, Syscall.EXECVE);
        var expected = Arrays.stream(Container.DEFAULT_PATH.split(":"))
                .map(dir -> dir + "/true").toList();

        assertThat(execs).extracting(step -> text(step, 0)).containsExactlyElementsOf(expected);
        assertThat(execs.subList(0, execs.size() - 1)).allMatch(Step::mayFail);
        assertThat(execs.getLast().mayFail()).isFalse();
        assertThat(execs.getLast().description()).startsWith("execve true");
    }

    @Test
    void aCommandWithASlashIsExecutedOnceWithoutSearching() {
        LaunchPlan direct = Plans.of(Container.builder().command("/bin/echo", "hi"), host);

        assertThat(stepsOf(direct, Syscall.EXECVE))
                .singleElement()
                .satisfies(step -> {
                    assertThat(step.mayFail()).isFalse();
                    assertThat(step.render()).startsWith("execve(\"/bin/echo\", [\"/bin/echo\", \"hi\"], [");
                });
    }

    @Test
    void everyStepSaysInWordsWhatItDoes() {
        assertThat(plan.steps()).allSatisfy(step -> assertThat(step.description()).isNotBlank());
        assertThat(plan.step(firstIndexOf(plan, Syscall.CLONE)).description())
                .isEqualTo("create the container's first process");
    }

    @Test
    void theCommandStartsAfterTheRootIsEntered() {
        int pivot = indicesOf(plan, Syscall.PIVOT_ROOT).getLast();
        int exec = firstIndexOf(plan, Syscall.EXECVE);

        int workdir = indexOfDescription("change to working directory /");

        assertThat(workdir).isGreaterThan(pivot).isLessThan(exec);
    }

    @Test
    void reportsThatItIsSetUpAfterTheRootIsEnteredAndBeforePrivilegesAreDropped() {
        int pivot = indicesOf(plan, Syscall.PIVOT_ROOT).getLast();
        int report = indexOfDescription("tell the runtime the container is set up");
        int seccomp = firstIndexOf(plan, Syscall.SECCOMP);

        assertThat(plan.step(report).render()).isEqualTo("write(5, \"\\1\", 1)");
        assertThat(report).isGreaterThan(pivot).isLessThan(seccomp);
        // The command must not inherit the PID pipe: it is closed right after the report.
        assertThat(plan.step(report + 1).render()).isEqualTo("close(5)");
    }

    private int indexOfDescription(String description) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.step(i).description().equals(description)) {
                return i;
            }
        }
        throw new AssertionError("no step \"" + description + "\" in\n" + plan);
    }
}
