package dev.jrun.internal.network;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where jrun looks for slirp4netns, and what it says when it is not installed. */
@Tag("plan")
class Slirp4netnsLocateTest {

    @TempDir
    Path directory;

    @Test
    void aMissingHelperIsNamedWithItsPackage() {
        assertThatThrownBy(() -> Slirp4netns.locate(List.of(directory.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs the user-mode network helper slirp4netns, which is not installed")
                .hasMessageEndingWith("install Debian's package slirp4netns (apt-get install slirp4netns)");
    }

    @Test
    void theFirstExecutableOneIsTakenAndRelativeDirectoriesAreIgnored() throws IOException {
        Path notExecutable = Files.createDirectory(directory.resolve("a"));
        Files.createFile(notExecutable.resolve("slirp4netns"));
        Path executable = Files.createDirectory(directory.resolve("b"));
        Files.createFile(executable.resolve("slirp4netns"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(Slirp4netns.locate(List.of("bin", notExecutable.toString(), executable.toString())))
                .isEqualTo(executable.resolve("slirp4netns"));
    }
}
