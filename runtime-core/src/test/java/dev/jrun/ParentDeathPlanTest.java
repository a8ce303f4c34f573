package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.Step;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.User;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch plan of a container that dies with its parent: PR_SET_PDEATHSIG right after clone,
 * before the gate, and again after each change of the process's IDs, which clears it.
 */
@Tag("plan")
class ParentDeathPlanTest {

    private static final String DIE_WITH_PARENT = "prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)";

    private static List<String> plan(Container.Builder builder, HostFacts host) {
        return Plans.of(builder, host).steps().stream().map(Step::render).toList();
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void theFirstProcessAsksForSigkillRightAfterCloneBeforeTheGate(HostFacts host) {
        List<String> plan = plan(Container.builder().command("/bin/true").dieWithParent(true), host);
        int clone = plan.indexOf(plan.stream().filter(step -> step.startsWith("clone(")).findFirst().orElseThrow());

        assertThat(plan.get(clone + 1)).isEqualTo(DIE_WITH_PARENT);
        assertThat(plan.get(clone + 2)).startsWith("read(3, buf, 1)");
        assertThat(IntStream.range(clone + 2, plan.size()).filter(i -> plan.get(i).equals(DIE_WITH_PARENT))
                .mapToObj(i -> plan.get(i - 1)))
                .as("later, only a uid switch (which clears it) asks again").allMatch(step -> step.startsWith("setresuid("));
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void aContainerOutlivesItsParentUnlessAskedTo(HostFacts host) {
        assertThat(plan(Container.builder().command("/bin/true"), host)).doesNotContain(DIE_WITH_PARENT);
    }

    @Test
    void itIsAskedForAgainAfterEachChangeOfTheProcesssIds() {
        // A user namespace with these mappings: jrun running as root, which may write them.
        List<String> plan = plan(Container.builder().command("/bin/true").dieWithParent(true)
                .namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(0, 200_000, 65_536)))
                .gidMappings(List.of(new IdMapping(0, 200_000, 65_536)))
                .user(User.of(1000, 1000)), FakeHosts.root());

        int becomeUser = plan.indexOf("setresuid(1000, 1000, 1000)");

        assertThat(plan).containsSubsequence("setresuid(0, 0, 0)", DIE_WITH_PARENT, "setresuid(1000, 1000, 1000)");
        assertThat(plan.get(becomeUser + 1)).isEqualTo(DIE_WITH_PARENT);
        assertThat(plan.stream().filter(DIE_WITH_PARENT::equals)).hasSize(3);
    }
}
