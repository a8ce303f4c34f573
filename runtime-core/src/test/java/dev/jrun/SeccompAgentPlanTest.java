package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Rule;
import dev.jrun.testing.PlanSteps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plan of a container whose seccomp profile notifies an agent: the filter is loaded before the
 * start gate, while the runtime that creates the container still listens, and the container waits
 * while the runtime takes its listener; none of it depends on whether jrun runs as root.
 */
@Tag("plan")
class SeccompAgentPlanTest {

    private static final SeccompProfile NOTIFIES_MKDIR = SeccompProfile.defaultAction(Action.ALLOW)
            .withRule(Rule.of(Action.NOTIFY, "mkdir"));

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void theListenerIsHandedOverBeforeTheStartGateAndTheFilterIsLoadedOnce(HostFacts host) {
        LaunchPlan launchPlan = Plans.of(Container.builder().command("/bin/true").startGate(Path.of("/run/x/exec.fifo"))
                .noNewPrivileges(true).seccomp(NOTIFIES_MKDIR).seccompAgent((pid, listener) -> { }), host);
        List<String> plan = launchPlan.steps().stream().map(Step::render).toList();
        int load = PlanSteps.firstIndexOf(launchPlan, Syscall.SECCOMP);

        // sync 3, error 4, pid 5, FIFO 6. With no_new_privs too, the filter is not loaded again at the end.
        assertThat(PlanSteps.indicesOf(launchPlan, Syscall.SECCOMP)).containsExactly(load);
        assertThat(plan.get(load)).startsWith("seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, ");
        assertThat(plan.subList(load, plan.size())).containsSubsequence(
                "write(5, \"\\3\", 1)",
                "write(5, &$" + load + ", 8)",
                "read(3, buf, 1)",
                "close($" + load + ")",
                "close(3)",
                "write(5, \"\\1\", 1)",
                "openat(AT_FDCWD, \"/proc/self/fd/6\", O_WRONLY|O_CLOEXEC, 0)",
                "prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)",
                "execve(\"/bin/true\", [\"/bin/true\"], [\"PATH=" + Container.DEFAULT_PATH + "\", \"HOME=/root\"])");
        assertThat(plan.subList(0, load)).doesNotContain("close(3)");
    }

    @Test
    void aProfileThatNotifiesNeedsAnAgent() {
        assertThatThrownBy(() -> Container.builder().command("/bin/true").seccomp(NOTIFIES_MKDIR).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the seccomp profile notifies a seccomp agent (SCMP_ACT_NOTIFY), and the container"
                        + " has none to give the listener to");
    }
}
