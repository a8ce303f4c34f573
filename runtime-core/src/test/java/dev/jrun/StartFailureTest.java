package dev.jrun;

import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Stdio;
import dev.jrun.model.SystemCallException;
import dev.jrun.testing.HostSnapshot;
import dev.jrun.testing.RequiresRoot;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A container that cannot start fails {@code start()} with a message naming what failed, and leaves
 * nothing behind: no process, no mount, no descriptor.
 */
class StartFailureTest {

    @TempDir
    Path scratch;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    /**
     * Starts {@code container} twice, checking the failure each time; the first attempt also loads
     * every class the path needs (which opens jars), so the second must leave the JVM exactly as it was.
     */
    private static void assertStartFailsCleanly(Container container, Consumer<Throwable> failure) {
        ThrowingCallable start = () -> container.start().close();
        failure.accept(catchThrowable(start));
        HostSnapshot before = HostSnapshot.capture();

        failure.accept(catchThrowable(start));

        assertThat(HostSnapshot.capture()).isEqualTo(before);
    }

    private static Container.Builder quiet(String... command) {
        return Container.builder().command(command).stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);
    }

    @Test
    void aMissingCommandIsReportedWithTheErrno() {
        assertStartFailsCleanly(quiet("nope").build(), failure -> assertThat(failure)
                .isInstanceOf(SystemCallException.class)
                .hasMessageStartingWith("execve nope")
                .hasMessageContaining("ENOENT (No such file or directory)"));
    }

    @Test
    void aMissingAbsoluteCommandIsReportedWithItsPath() {
        assertStartFailsCleanly(quiet("/nope/cmd").build(), failure -> assertThat(failure)
                .isInstanceOf(SystemCallException.class)
                .hasMessage("execve /nope/cmd: ENOENT (No such file or directory)"));
    }

    @Test
    void aMissingRootfsIsReportedBeforeAnythingStarts() {
        Path missing = scratch.resolve("missing-rootfs");

        assertStartFailsCleanly(quiet("/bin/true").filesystem(FilesystemSetup.rootfs(missing)).build(),
                failure -> assertThat(failure)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(missing.toString()));
    }

    @Test
    void aMissingWorkingDirectoryIsReportedWithTheErrno() {
        FilesystemSetup filesystem = FilesystemSetup.hostSandbox().withWorkingDirectory("/nope");

        assertStartFailsCleanly(quiet("true").filesystem(filesystem).build(), failure -> assertThat(failure)
                .isInstanceOf(SystemCallException.class)
                .hasMessage("change to working directory /nope: ENOENT (No such file or directory)"));
    }

    @Test
    void aFailedMountIsReportedByItsStep() {
        FilesystemSetup filesystem = FilesystemSetup.hostSandbox()
                .withMount(new FilesystemSetup.Generic("nosuchfs", "none", "/mnt", List.of()));

        assertStartFailsCleanly(quiet("true").filesystem(filesystem).build(), failure -> assertThat(failure)
                .isInstanceOf(SystemCallException.class)
                .hasMessage("mount nosuchfs on /mnt: ENODEV (No such device)"));
    }

    @Test
    void aDirectoryBoundOnAFileFailsAtTheStepThatOpensTheFile() throws IOException {
        Path directory = Files.createDirectory(scratch.resolve("directory")).toRealPath();
        FilesystemSetup filesystem = FilesystemSetup.hostSandbox()
                .withBind(directory, "/etc/hostname", FilesystemSetup.Access.READ_ONLY);

        // The scratch directory is root's alone (0700): only the host's root gets to the directory.
        assertStartFailsCleanly(quiet("true").filesystem(filesystem).hostRoot(true).build(), failure -> assertThat(failure)
                .isInstanceOf(SystemCallException.class)
                .hasMessage("open /etc/hostname in the container's root: ENOTDIR (Not a directory)"));
    }

    @Test
    void aFileBoundOnADirectoryIsRefusedBeforeAnythingStarts() throws IOException {
        Path file = Files.createFile(scratch.resolve("file")).toRealPath();
        FilesystemSetup filesystem = FilesystemSetup.hostSandbox()
                .withBind(file, "/etc", FilesystemSetup.Access.READ_ONLY);

        assertStartFailsCleanly(quiet("true").filesystem(filesystem).build(), failure -> assertThat(failure)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bind " + file + " on /etc: /etc is a directory in the container and the source a file;"
                        + " a file can be mounted on a file only"));
    }
}
