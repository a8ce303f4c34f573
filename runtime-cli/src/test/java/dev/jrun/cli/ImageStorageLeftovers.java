package dev.jrun.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What an image test checks once jrun has ended: no container root kept in the store, nothing mounted. */
final class ImageStorageLeftovers {

    private ImageStorageLeftovers() {
    }

    /**
     * Asserts that {@code storage} (a {@code JRUN_STORAGE}, or null when the test never made one)
     * keeps no container root and that nothing below {@code directory} is mounted.
     */
    static void assertNoneIn(Path storage, Path directory) throws IOException {
        if (storage != null && Files.isDirectory(storage.resolve("containers"))) {
            try (Stream<Path> roots = Files.list(storage.resolve("containers"))) {
                assertThat(roots).isEmpty();
            }
        }
        assertThat(HostSystem.mountPoints()).noneMatch(point -> point.startsWith(directory.toString()));
    }
}
