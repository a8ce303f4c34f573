package dev.jrun.image;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a pull looks for credentials by default: podman's file first, then docker's. */
class PullOptionsTest {

    private static final Path HOME = Path.of("/home/someone");

    @Test
    void podmansAuthFileComesBeforeDockersWhenThereIsARuntimeDirectory() {
        assertThat(PullOptions.defaultAuthFiles(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), HOME))
                .containsExactly(Path.of("/run/user/1000/containers/auth.json"), HOME.resolve(".docker/config.json"));
    }

    @Test
    void withoutARuntimeDirectoryOnlyDockersIsRead() {
        assertThat(PullOptions.defaultAuthFiles(Map.of("XDG_RUNTIME_DIR", ""), HOME))
                .isEqualTo(List.of(HOME.resolve(".docker/config.json")));
        assertThat(PullOptions.defaultAuthFiles(Map.of(), HOME)).isEqualTo(List.of(HOME.resolve(".docker/config.json")));
    }
}
