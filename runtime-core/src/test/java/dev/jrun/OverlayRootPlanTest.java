package dev.jrun;

import dev.jrun.testing.FakeHosts;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.RootOverlay;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jrun.testing.PlanSteps.attachedPaths;
import static dev.jrun.testing.PlanSteps.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A root the container mounts itself (a rootless image's overlay): the mount is a step of the
 * container's own mount namespace, before its root is assembled, and the plan reads the root's
 * files in the layers, since the mount point is empty on the host.
 */
@Tag("plan")
class OverlayRootPlanTest {

    @TempDir
    Path directory;
    private Path mountPoint;
    private RootOverlay overlay;

    @BeforeEach
    void layers() throws IOException {
        Path lower = Files.createDirectories(directory.resolve("lower"));
        Files.createDirectories(lower.resolve("proc"));
        Files.createDirectories(lower.resolve("data"));
        Files.createSymbolicLink(lower.resolve("volume"), Path.of("/data"));
        overlay = new RootOverlay(List.of(lower), Files.createDirectory(directory.resolve("upper")),
                Files.createDirectory(directory.resolve("work")));
        mountPoint = Files.createDirectory(directory.resolve("merged"));
    }

    private LaunchPlan plan(FilesystemSetup filesystem) {
        return Plans.of(Container.builder().command("/bin/true").filesystem(filesystem), FakeHosts.unprivileged());
    }

    @Test
    void theContainerMountsTheOverlayOnItsRootBeforeAssemblingIt() {
        List<String> lines = lines(plan(FilesystemSetup.overlayRoot(mountPoint, overlay)));

        String mount = "mount(\"overlay\", \"" + mountPoint + "\", \"overlay\", 0, \"lowerdir=" + directory.resolve("lower")
                + ",upperdir=" + directory.resolve("upper") + ",workdir=" + directory.resolve("work")
                + ",userxattr\") # mount the overlay root on " + mountPoint;
        assertThat(lines).contains(mount);
        assertThat(lines.indexOf(mount)).isLessThan(indexOf(lines, "# mount a scratch tmpfs"));
    }

    @Test
    void whatTheLayersHaveIsNotCreatedAndTheirSymlinksAreFollowedInsideTheRoot() {
        LaunchPlan plan = plan(FilesystemSetup.overlayRoot(mountPoint, overlay)
                .withBind(directory.resolve("lower"), "/volume", FilesystemSetup.Access.READ_ONLY));

        assertThat(lines(plan)).noneMatch(line -> line.endsWith("# create directory /proc"));
        assertThat(attachedPaths(plan)).contains("/data").doesNotContain("/volume");
    }

    @Test
    void aRootOfTheSameEmptyDirectoryCreatesWhatItLacks() {
        assertThat(lines(plan(FilesystemSetup.rootfs(mountPoint)))).anyMatch(line -> line.endsWith("# create directory /proc"));
    }

    @Test
    void copyingAnImageDirectoryIntoATmpfsIsRefusedWithTheWayOut() {
        FilesystemSetup filesystem = FilesystemSetup.overlayRoot(mountPoint, overlay)
                .withMount(new FilesystemSetup.Generic("tmpfs", "tmpfs", "/data", List.of("tmpcopyup")));

        assertThatIllegalArgumentException().isThrownBy(() -> plan(filesystem)).withMessageContaining(
                "mount option \"tmpcopyup\" on /data: the overlay root is mounted by the container itself")
                .withMessageContaining("--storage-driver vfs");
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        throw new AssertionError("no step with " + part + " in " + lines);
    }
}
