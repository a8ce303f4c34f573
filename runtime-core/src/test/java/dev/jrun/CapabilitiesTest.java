package dev.jrun;

import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.User;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static dev.jrun.Runs.assumeRoot;
import static dev.jrun.Runs.run;
import static dev.jrun.Runs.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Capabilities as the kernel reports them inside containers, and what their absence forbids. */
class CapabilitiesTest {

    @Test
    void theDefaultSetIsDockersInTheBoundingEffectiveAndPermittedSets() {
        assumeRoot("starting containers");
        String status = run(shell("grep -E '^Cap' /proc/self/status")).stdout();
        String docker = mask(Capabilities.dockerDefault().bounding());
        assertThat(docker).isEqualTo("00000000a80425fb");
        assertThat(status).isEqualTo("CapInh:\t0000000000000000\nCapPrm:\t" + docker + "\nCapEff:\t" + docker
                + "\nCapBnd:\t" + docker + "\nCapAmb:\t0000000000000000\n");
    }

    @Test
    void droppedCapabilitiesAreGone() {
        assumeRoot("starting containers");
        Runs.Result chown = run(shell("touch /tmp/f && chown 1 /tmp/f")
                .capabilities(Capabilities.dockerDefault().dropping(Capability.CHOWN)));
        assertThat(chown.status().code()).isNotZero();
        assertThat(chown.stderr()).contains("Operation not permitted");
        // A device node needs the host's root: in a user namespace mknod fails whatever the capabilities.
        Runs.Result mknod = run(shell("mknod /tmp/null c 1 3").hostRoot(true)
                .capabilities(Capabilities.dockerDefault().dropping(Capability.MKNOD)));
        assertThat(mknod.status().code()).isNotZero();
        assertThat(mknod.stderr()).contains("Operation not permitted");
        assertThat(run(shell("mknod /tmp/null c 1 3").hostRoot(true)).status().code()).as("mknod with the default set").isZero();
    }

    @Test
    void settingTheHostnameNeedsSysAdminWhichTheDefaultSetLacks() {
        assumeRoot("starting containers");
        Runs.Result denied = run(shell("hostname other"));
        assertThat(denied.status().code()).isNotZero();
        Runs.Result allowed = run(shell("hostname other && hostname")
                .capabilities(Capabilities.dockerDefault().adding(Capability.SYS_ADMIN)));
        assertThat(allowed.stdout()).isEqualTo("other\n");
    }

    @Test
    void allFiveSetsAreSetAsAskedForAnUnprivilegedUser() {
        assumeRoot("starting containers");
        Set<Capability> bind = EnumSet.of(Capability.NET_BIND_SERVICE);
        Capabilities caps = Capabilities.of(EnumSet.of(Capability.NET_BIND_SERVICE, Capability.KILL))
                .withInheritable(bind).withAmbient(bind);
        String status = run(shell("id -u; grep -E '^Cap' /proc/self/status").user(User.of(1000, 1000)).capabilities(caps)).stdout();
        String bits = mask(bind);
        assertThat(status).isEqualTo("1000\nCapInh:\t" + bits + "\nCapPrm:\t" + bits + "\nCapEff:\t" + bits
                + "\nCapBnd:\t" + mask(caps.bounding()) + "\nCapAmb:\t" + bits + "\n");
    }

    @Test
    void noNewPrivsIsSetOnlyWhenAsked() {
        assumeRoot("starting containers");
        assertThat(run(shell("grep NoNewPrivs /proc/self/status")).stdout()).isEqualTo("NoNewPrivs:\t0\n");
        assertThat(run(shell("grep NoNewPrivs /proc/self/status").noNewPrivileges(true)).stdout()).isEqualTo("NoNewPrivs:\t1\n");
    }

    @Test
    void capabilityNamesAreCheckedAndSetsThatBreakKernelRulesRefused() {
        assertThat(Capability.parse("cap_sys_admin")).isEqualTo(Capability.SYS_ADMIN);
        assertThat(Capability.parse("NET_RAW")).isEqualTo(Capability.NET_RAW);
        assertThatThrownBy(() -> Capability.parse("CAP_FLY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown capability \"CAP_FLY\": known are CAP_CHOWN, CAP_DAC_OVERRIDE,");
        assertThatThrownBy(() -> Container.builder().capabilities(Capabilities.none().withAmbient(Set.of(Capability.KILL))))
                .hasMessage("ambient capability CAP_KILL must also be in the permitted set");
        assertThatThrownBy(() -> Container.builder().capabilities(Capabilities.of(Set.of(Capability.KILL))
                .withEffective(Set.of(Capability.CHOWN))))
                .hasMessage("effective capability CAP_CHOWN must also be in the permitted set");
    }

    private static String mask(Set<Capability> caps) {
        long mask = 0;
        for (Capability cap : caps) {
            mask |= 1L << cap.number();
        }
        return String.format("%016x", mask);
    }
}
