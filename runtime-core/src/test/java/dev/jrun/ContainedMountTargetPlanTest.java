package dev.jrun;

import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Syscall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jrun.testing.PlanSteps.mountTargets;
import static dev.jrun.testing.PlanSteps.stepsOf;
import static dev.jrun.testing.PlanSteps.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A symlink planted in an image must not redirect a mount onto the host: mount targets are resolved
 * inside the rootfs, as the kernel would resolve them after chroot.
 */
class ContainedMountTargetPlanTest {

    @TempDir
    Path rootfs;
    @TempDir
    Path volume;

    private LaunchPlan planBindingVolumeOn(String target) {
        return Container.builder().command("/bin/true")
                .filesystem(FilesystemSetup.rootfs(rootfs).withBind(volume, target, FilesystemSetup.Access.READ_ONLY))
                .build().plan();
    }

    /** The mounts before it set up the scratch root; every one after it is in the container's tree. */
    private static List<String> mountTargetsAfterTheRootIsBound(LaunchPlan plan) {
        List<String> targets = mountTargets(plan);
        return targets.subList(targets.indexOf("/newroot") + 1, targets.size());
    }

    @ParameterizedTest(name = "evil -> {0}")
    @ValueSource(strings = {"/etc", "../../../etc", "/../../etc", "../etc"})
    void aSymlinkedBindTargetStaysInsideTheRootfs(String link) throws IOException {
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of(link));

        LaunchPlan plan = planBindingVolumeOn("/evil");

        assertThat(mountTargets(plan)).contains("/newroot/etc").doesNotContain("/etc", "/newroot/evil");
        assertThat(mountTargetsAfterTheRootIsBound(plan))
                .allMatch(target -> target.startsWith("/newroot/"), "every mount on the root is under /newroot");
    }

    @Test
    void missingDirectoriesBehindASymlinkAreCreatedInsideTheRootfs() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of("../../../etc"));

        LaunchPlan plan = planBindingVolumeOn("/evil/sub");

        assertThat(mountTargets(plan)).contains("/newroot/etc/sub");
        assertThat(stepsOf(plan, Syscall.MKDIRAT))
                .filteredOn(step -> step.description().startsWith("create mount point")
                        || step.description().startsWith("create directory"))
                .extracting(step -> text(step, 1))
                .contains("/newroot/etc", "/newroot/etc/sub")
                .allMatch(path -> path.startsWith("/newroot/"), "every mount point is created under /newroot");
    }

    @Test
    void theBindIsDescribedByTheTargetTheUserGave() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of("/etc"));

        LaunchPlan plan = planBindingVolumeOn("/evil");

        assertThat(plan.steps()).anySatisfy(step -> assertThat(step.description())
                .isEqualTo("bind " + volume.toRealPath() + " on /evil"));
    }
}
