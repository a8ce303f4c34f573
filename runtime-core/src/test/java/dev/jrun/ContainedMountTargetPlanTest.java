package dev.jrun;

import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Syscall;
import dev.jrun.model.FilesystemSetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jrun.testing.PlanSteps.attachedPaths;
import static dev.jrun.testing.PlanSteps.lines;
import static dev.jrun.testing.PlanSteps.stepsOf;
import static dev.jrun.testing.PlanSteps.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A symlink planted in an image must not redirect a mount onto the host: mount targets are resolved
 * inside the rootfs, as the kernel would resolve them after chroot.
 */
@Tag("plan")
class ContainedMountTargetPlanTest {

    @TempDir
    Path rootfs;
    @TempDir
    Path volume;

    private LaunchPlan planBindingVolumeOn(String target) {
        return Plans.asRoot(Container.builder().command("/bin/true")
                .filesystem(FilesystemSetup.rootfs(rootfs).withBind(volume, target, FilesystemSetup.Access.READ_ONLY)));
    }

    @ParameterizedTest(name = "evil -> {0}")
    @ValueSource(strings = {"/etc", "../../../etc", "/../../etc", "../etc"})
    void aSymlinkedBindTargetStaysInsideTheRootfs(String link) throws IOException {
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of(link));

        LaunchPlan plan = planBindingVolumeOn("/evil");

        assertThat(attachedPaths(plan)).contains("/etc").doesNotContain("/evil");
        assertEveryContainerPathIsOpenedInsideTheRoot(plan);
    }

    @Test
    void missingDirectoriesBehindASymlinkAreCreatedInsideTheRootfs() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of("../../../etc"));

        LaunchPlan plan = planBindingVolumeOn("/evil/sub");

        assertThat(attachedPaths(plan)).contains("/etc/sub");
        assertThat(lines(plan)).contains(
                "openat2($fd, \"/etc\", {flags=O_PATH|O_DIRECTORY|O_CLOEXEC, resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}, 24)"
                        + " (EAGAIN: again) # open directory /etc in the container's root",
                "mkdirat($fd, \"sub\", 0755) (tolerates EEXIST) # create directory /etc/sub");
        assertEveryContainerPathIsOpenedInsideTheRoot(plan);
    }

    /** As runc refuses it (mask.bats, "prohibit symlink /proc"): the kernel's files go where the masks expect them. */
    @ParameterizedTest(name = "{0} -> /symlink")
    @ValueSource(strings = {"proc", "sys"})
    void procAndSysOnASymlinkAreRefused(String name) throws IOException {
        Files.createSymbolicLink(rootfs.resolve(name), Path.of("/symlink"));
        String type = name.equals("proc") ? "proc" : "sysfs";
        Container.Builder builder = Container.builder().command("/bin/true").filesystem(FilesystemSetup.rootfs(rootfs)
                .withMount(new FilesystemSetup.Generic(type, type, "/" + name, List.of())));

        assertThatIllegalArgumentException().isThrownBy(() -> Plans.asRoot(builder)).withMessage("filesystem \""
                + type + "\" must be mounted on ordinary directory: /" + name + " in the rootfs is a symlink");
    }

    @Test
    void theBindIsDescribedByTheTargetTheUserGave() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of("/etc"));

        LaunchPlan plan = planBindingVolumeOn("/evil");

        assertThat(plan.steps()).anySatisfy(step -> assertThat(step.description())
                .isEqualTo("bind " + volume.toRealPath() + " on /evil"));
    }

    /**
     * Once the root is bound, the kernel is never handed a path under it: every container path is
     * opened with openat2 relative to the root's descriptor, resolved in the root, and everything
     * is created and mounted through descriptors.
     */
    private static void assertEveryContainerPathIsOpenedInsideTheRoot(LaunchPlan plan) {
        int root = plan.steps().indexOf(plan.steps().stream()
                .filter(step -> step.description().equals("open the container's root /newroot")).findFirst().orElseThrow());
        assertThat(plan.steps()).allSatisfy(step -> assertThat(step.args())
                .noneMatch(arg -> arg instanceof Arg.Text text && text.value().startsWith("/newroot/")));
        assertThat(stepsOf(plan, Syscall.OPENAT2)).filteredOn(step -> !step.description().startsWith("open the host's"))
                .isNotEmpty().allSatisfy(step -> {
            assertThat(step.args().getFirst()).isEqualTo(new Arg.ResultOf(root));
            assertThat(step.args().get(2).render()).endsWith("resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}");
        });
        assertThat(stepsOf(plan, Syscall.MKDIRAT)).filteredOn(step -> step.args().getFirst() instanceof Arg.Value)
                .extracting(step -> text(step, 1)).allMatch(path -> path.startsWith("/tmp/"), "only the scratch root's");
    }
}
