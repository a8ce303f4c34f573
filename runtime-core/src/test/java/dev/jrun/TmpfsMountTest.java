package dev.jrun;

import dev.jrun.model.FilesystemSetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@link FilesystemSetup#tmpfs}: docker's {@code --tmpfs}, its options checked before anything runs. */
@Tag("plan")
class TmpfsMountTest {

    @Test
    void dockersDefaultsComeFirstSoTheGivenOptionsWin() {
        FilesystemSetup.Generic mount = FilesystemSetup.tmpfs("/run", List.of("exec", "size=64m", "mode=1777"));

        assertThat(mount.type()).isEqualTo("tmpfs");
        assertThat(mount.target()).isEqualTo("/run");
        assertThat(mount.options()).containsExactly("noexec", "nosuid", "nodev", "exec", "size=64m", "mode=1777");
    }

    @Test
    void tmpfsOwnOptionsAndMountFlagsAreAccepted() {
        assertThat(FilesystemSetup.tmpfs("/cache", List.of("ro", "nr_inodes=100", "uid=1000", "gid=1000", "noswap",
                "huge=within_size", "inode64", "strictatime")).options()).hasSize(11);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosiud", "size", "size=", "bind", "rbind", "sizee=1m"})
    void anOptionThatIsNeitherAMountFlagNorTmpfsIsRefusedByName(String option) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> FilesystemSetup.tmpfs("/run", List.of("size=1m", option)))
                .withMessageStartingWith("tmpfs /run: \"" + option + "\" is not a tmpfs option");
    }

    @Test
    void aRelativeTargetIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FilesystemSetup.tmpfs("run", List.of()))
                .withMessage("tmpfs target must be an absolute path: run");
    }
}
