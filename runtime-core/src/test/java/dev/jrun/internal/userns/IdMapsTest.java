package dev.jrun.internal.userns;

import dev.jrun.model.IdMapping;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The maps jrun chooses itself, worked out from the host's ID facts alone. */
@Tag("plan")
class IdMapsTest {

    private static final SubordinateIds.Range RANGE = new SubordinateIds.Range(100_000, 65_536);

    @Test
    void rootsRemappedMapsAreItsSubordinateRangesWhenItHasSome() {
        HostIds host = new HostIds(List.of(RANGE), List.of(new SubordinateIds.Range(300_000, 70_000)), List.of(),
                false, false);

        IdMaps maps = IdMaps.remapped(host);

        assertThat(maps.uids()).containsExactly(new IdMapping(0, 100_000, 65_536));
        assertThat(maps.gids()).containsExactly(new IdMapping(0, 300_000, 65_536));
    }

    @Test
    void withoutSubordinateRangesTheRemappedMapsSkipEveryTakenId() {
        HostIds host = new HostIds(List.of(), List.of(), List.of(new SubordinateIds.Range(524_288 + 10, 1),
                new SubordinateIds.Range(589_824, 100)), false, false);

        assertThat(IdMaps.remapped(host).uids()).containsExactly(new IdMapping(0, 655_360, 65_536));
        assertThat(IdMaps.remapped(FakeHosts.plainIds()).gids()).containsExactly(new IdMapping(0, 524_288, 65_536));
    }

    @Test
    void aRootlessLauncherMapsItsSubordinateIdsOnlyWhenTheHelpersAreInstalled() {
        HostIds withHelpers = new HostIds(List.of(RANGE), List.of(RANGE), List.of(), true, true);
        HostIds withoutHelpers = new HostIds(List.of(RANGE), List.of(RANGE), List.of(), false, false);

        assertThat(IdMaps.rootless(1000, 1001, withHelpers).uids())
                .containsExactly(new IdMapping(0, 1000, 1), new IdMapping(1, 100_000, 65_536));
        assertThat(IdMaps.rootless(1000, 1001, withoutHelpers).gids()).containsExactly(new IdMapping(0, 1001, 1));
    }

    @Test
    void mapsBeyondTheLaunchersOwnIdNeedTheHelperWhenItIsNotRoot() {
        IdMaps wide = new IdMaps(List.of(new IdMapping(0, 1000, 1), new IdMapping(1, 100_000, 10)),
                List.of(new IdMapping(0, 1000, 1)));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> IdMapWriter.checkWritable(wide, 1000, 1000, FakeHosts.plainIds()))
                .withMessageStartingWith("uid mappings ").withMessageContaining("need newuidmap");
        IdMapWriter.checkWritable(wide, 1000, 1000, new HostIds(List.of(), List.of(), List.of(), true, false));
        IdMapWriter.checkWritable(wide, 0, 0, FakeHosts.plainIds());
    }
}
