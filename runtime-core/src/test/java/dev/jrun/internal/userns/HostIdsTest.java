package dev.jrun.internal.userns;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ID facts probed from this host's files, which any user may read. */
@Tag("plan")
class HostIdsTest {

    @Test
    void everyUserOfPasswdAndEveryRangeOfSubuidIsTaken() {
        HostIds probed = HostIds.probe("root", 0);

        assertThat(probed.taken()).as("root's uid, from /etc/passwd").contains(new SubordinateIds.Range(0, 1));
        assertThat(probed.taken()).containsAll(SubordinateIds.all(SubordinateIds.SUBUID));
        assertThat(probed.subuids()).isEqualTo(SubordinateIds.of(SubordinateIds.SUBUID, "root", 0));
        assertThat(probed.newuidmap()).isEqualTo(IdMapHelpers.find(IdMapHelpers.NEWUIDMAP).isPresent());
    }
}
