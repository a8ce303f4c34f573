package dev.jrun.internal.plan;

import dev.jrun.internal.cgroup.CgroupMounts;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host facts a plan is compiled for. */
@Tag("plan")
class HostFactsTest {

    @Test
    void aCgroupMountOnAHostWithoutCgroupsIsRefused() {
        HostFacts noCgroups = new HostFacts(0, 0, 40, List.of(), FakeHosts.plainIds(), SecurityModules.NONE);

        assertThatThrownBy(noCgroups::mountedCgroups)
                .hasMessage("the host has no cgroup filesystem mounted at /sys/fs/cgroup");
    }

    @Test
    void theProbedFactsAreProbedOnceAndNameThisProcesssIds() {
        HostFacts probed = HostFacts.probe();

        assertThat(HostFacts.probe()).isSameAs(probed);
        assertThat(probed.root()).isEqualTo(probed.euid() == 0);
        assertThat(new HostFacts(0, 0, 40, List.of(new CgroupMounts.Hierarchy("", "cgroup2", "")),
                FakeHosts.plainIds(), SecurityModules.NONE).root()).isTrue();
    }

    /** The modules' own switches: AppArmor's parameter, SELinux's filesystem. */
    @Test
    void theSecurityModulesAreTheOnesTheKernelReportsEnabled() throws IOException {
        Path appArmor = Path.of("/sys/module/apparmor/parameters/enabled");
        boolean appArmorEnabled = Files.exists(appArmor) && Files.readString(appArmor).startsWith("Y");

        assertThat(HostFacts.probe().securityModules())
                .isEqualTo(new SecurityModules(appArmorEnabled, Files.exists(Path.of("/sys/fs/selinux/enforce"))));
    }
}
