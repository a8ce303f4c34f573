package dev.jrun;

import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Syscall;
import dev.jrun.model.FilesystemSetup;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jrun.testing.PlanSteps.attachedPaths;
import static dev.jrun.testing.PlanSteps.firstIndexOf;
import static dev.jrun.testing.PlanSteps.lines;
import static dev.jrun.testing.PlanSteps.stepsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The plan of a {@code tmpcopyup} tmpfs: the image's directory and each entry in it are opened
 * beneath their parent's descriptor with no symlink allowed, symlinks are recreated from their
 * text and never opened, and the filled tmpfs is attached only after the copy.
 */
@Tag("plan")
class TmpfsCopyUpPlanTest {

    private static final String BENEATH = "resolve=RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS}";

    @TempDir
    Path rootfs;

    private static FilesystemSetup.Generic copiedTmpfs(String target) {
        return new FilesystemSetup.Generic("tmpfs", "tmpfs", target, List.of("tmpcopyup"));
    }

    private LaunchPlan plan(FilesystemSetup setup) {
        return Plans.asRoot(Container.builder().command("/bin/true").filesystem(setup));
    }

    @Test
    void theImagesEntriesAreCopiedByDescriptorAndItsSymlinksAsLinks() throws IOException {
        Path run = Files.createDirectory(rootfs.resolve("run"));
        Files.writeString(run.resolve("file"), "abc");
        Files.createSymbolicLink(run.resolve("link"), Path.of("/etc/shadow"));

        LaunchPlan plan = plan(FilesystemSetup.rootfs(rootfs).withMount(copiedTmpfs("/run")));

        assertThat(lines(plan)).contains(
                "openat2($fd, \"run\", {flags=O_PATH|O_DIRECTORY|O_CLOEXEC, " + BENEATH + ", 24)"
                        + " (EAGAIN: again) # open the image's /run, which has no symlink",
                "openat2($fd, \"file\", {flags=O_RDONLY|O_NONBLOCK|O_CLOEXEC, " + BENEATH + ", 24)"
                        + " (EAGAIN: again) # open the image's file /run/file, which is no symlink",
                "sendfile($fd, $fd, NULL, 3) # copy /run/file",
                "symlinkat(\"/etc/shadow\", $fd, \"link\") # link /run/link to /etc/shadow in the tmpfs");
        assertThat(stepsOf(plan, Syscall.OPENAT2)).filteredOn(step -> step.description().contains("image's"))
                .allSatisfy(step -> assertThat(step.args().get(2).render()).endsWith(BENEATH));
        // The link is made, then its owner and times set on the link itself (AT_SYMLINK_NOFOLLOW): never opened.
        assertThat(plan.steps()).filteredOn(step -> step.args().stream()
                        .anyMatch(arg -> arg instanceof Arg.Text text && text.value().equals("link")))
                .as("the steps that name the link").isNotEmpty()
                .allSatisfy(step -> assertThat(step.call().equals(Syscall.SYMLINKAT)
                        || step.args().getLast().render().contains("AT_SYMLINK_NOFOLLOW"))
                        .as("%s follows no link", step.call().name()).isTrue());
        assertThat(attachedPaths(plan)).contains("/run");
        assertThat(firstIndexOf(plan, Syscall.SENDFILE)).isLessThan(attachIndex(plan, "/run"));
    }

    @Test
    void aTargetMissingFromTheImageGetsAnEmptyTmpfs() {
        LaunchPlan plan = plan(FilesystemSetup.rootfs(rootfs).withMount(copiedTmpfs("/run")));

        assertThat(attachedPaths(plan)).contains("/run");
        assertThat(plan.steps()).noneMatch(step -> step.description().startsWith("open the image's"));
    }

    @Test
    void aTmpfsUnderAnEarlierMountIsRefusedByName() throws IOException {
        Files.createDirectories(rootfs.resolve("data/sub"));
        FilesystemSetup setup = FilesystemSetup.rootfs(rootfs).withTmpfs("/data").withMount(copiedTmpfs("/data/sub"));

        assertThatIllegalArgumentException().isThrownBy(() -> plan(setup)).withMessage("mount option \"tmpcopyup\""
                + " on /data/sub: an earlier mount hides what the image has there, and jrun copies the image's"
                + " content only");
    }

    @Test
    void tmpcopyupOnABindMountIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new FilesystemSetup.Generic("bind", "/srv", "/srv",
                List.of("rbind", "tmpcopyup"))).withMessage("mount option \"tmpcopyup\" copies the image's content"
                + " into a new tmpfs: it applies to a tmpfs only, not to a bind mount");
    }

    private static int attachIndex(LaunchPlan plan, String target) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.step(i).call().equals(Syscall.MOVE_MOUNT) && plan.step(i).args().get(2) instanceof Arg.ResultOf to
                    && plan.step(to.step()).args().get(1) instanceof Arg.Text text && text.value().equals(target)) {
                return i;
            }
        }
        throw new AssertionError("nothing is attached on " + target);
    }
}
