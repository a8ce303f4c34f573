package dev.jrun;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the image store lives when nobody says: root's under /var/lib, everyone else's under XDG's data home. */
class ImageStoreDirectoryTest {

    @Test
    void theDefaultDirectoryFollowsXdgForOtherUsers() {
        Path home = Path.of("/home/someone");
        assertThat(ImageStore.defaultDirectory(true, Map.of(), home)).isEqualTo(Path.of("/var/lib/jrun"));
        assertThat(ImageStore.defaultDirectory(false, Map.of(), home)).isEqualTo(home.resolve(".local/share/jrun"));
        assertThat(ImageStore.defaultDirectory(false, Map.of("XDG_DATA_HOME", "/data"), home))
                .isEqualTo(Path.of("/data/jrun"));
    }
}
