package dev.jrun;

import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.SeccompProfile;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Container#toBuilder()} hands back what the container was built from, not its resolved
 * defaults: a variant resolves its own.
 */
@Tag("plan")
class ContainerVariantTest {

    private static final Capabilities ALL = Capabilities.of(EnumSet.allOf(Capability.class));

    @Test
    void aVariantWithOtherCapabilitiesGetsTheDefaultSeccompProfileForThem() {
        Container original = Plans.build(Container.builder().command("true"), FakeHosts.root());
        Container variant = Plans.build(original.toBuilder().capabilities(ALL), FakeHosts.root());

        assertThat(original.seccomp()).contains(DockerDefaultProfile.of(Capabilities.dockerDefault()));
        assertThat(variant.seccomp()).contains(DockerDefaultProfile.of(ALL));
        assertThat(variant.seccomp()).isNotEqualTo(original.seccomp());
    }

    @Test
    void aChosenSeccompProfileStaysWithTheVariant() {
        Container unconfined = Plans.build(Container.builder().command("true").seccompUnconfined(), FakeHosts.root());
        Container variant = Plans.build(unconfined.toBuilder().capabilities(ALL), FakeHosts.root());

        assertThat(variant.seccomp()).isEmpty();
    }

    @Test
    void aVariantOfRootsHostSandboxMayRunAsTheHostsRoot() {
        Container sandbox = Plans.build(Container.builder().command("true"), FakeHosts.root());
        Container hostRoot = Plans.build(sandbox.toBuilder().hostRoot(true), FakeHosts.root());

        assertThat(sandbox.namespaces().creates(Namespace.USER)).isTrue();
        assertThat(hostRoot.namespaces().isolates(Namespace.USER)).isFalse();
        assertThat(hostRoot.uidMappings()).isEmpty();
    }

    @Test
    void mappingsGivenAfterARemappedUserNamespaceReplaceItsMapsOfThatKindOnly() {
        List<IdMapping> chosen = List.of(new IdMapping(0, 200_000, 65_536));
        Container container = Plans.build(Container.builder().command("true").remappedUserNamespace()
                .uidMappings(chosen), FakeHosts.root());
        Container remappedAgain = Plans.build(Container.builder().command("true").uidMappings(chosen)
                .remappedUserNamespace(), FakeHosts.root());

        assertThat(container.uidMappings()).isEqualTo(chosen);
        assertThat(container.gidMappings()).containsExactly(new IdMapping(0, 524_288, 65_536));
        assertThat(remappedAgain.uidMappings()).containsExactly(new IdMapping(0, 524_288, 65_536));
    }
}
