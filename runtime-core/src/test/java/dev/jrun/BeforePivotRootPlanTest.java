package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.launch.Syscall;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static dev.jrun.testing.PlanSteps.firstIndexOf;
import static dev.jrun.testing.PlanSteps.indicesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The gate before {@code pivot_root}, where the launcher runs OCI createContainer hooks: a container
 * with work there waits with its mounts and devices in place and before its kernel parameters,
 * masked paths and {@code pivot_root}; one without has no such gate. A process that joins it there
 * enters the assembled root and makes the host's root its own. None of it depends on whether jrun
 * runs as root.
 */
@Tag("plan")
@ParameterizedClass
@MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
class BeforePivotRootPlanTest {

    private static final String ASSEMBLED = "tell the runtime the root is assembled";

    private final HostFacts host;

    BeforePivotRootPlanTest(HostFacts host) {
        this.host = host;
    }

    private static Container.Builder inRoot(Path rootfs) {
        return Container.builder().command("/bin/true").filesystem(FilesystemSetup.rootfs(rootfs))
                .sysctl("net.ipv4.ip_forward", "1");
    }

    private static int indexOf(LaunchPlan plan, String description) {
        return firstIndexWhere(plan, description::equals, "\"" + description + "\"");
    }

    private static int firstIndexStartingWith(LaunchPlan plan, String description) {
        return firstIndexWhere(plan, candidate -> candidate.startsWith(description), "\"" + description + "...\"");
    }

    private static int firstIndexWhere(LaunchPlan plan, Predicate<String> description, String what) {
        return IntStream.range(0, plan.steps().size()).filter(i -> description.test(plan.step(i).description()))
                .findFirst().orElseThrow(() -> new AssertionError("no step " + what + " in the plan:\n" + plan));
    }

    @Test
    void theContainerWaitsWithItsMountsAndDevicesInPlaceBeforeItsKernelParametersMasksAndPivotRoot(
            @TempDir Path rootfs) {
        LaunchPlan plan = Plans.of(inRoot(rootfs).beforePivotRoot(pid -> { }), host);

        int assembled = indexOf(plan, ASSEMBLED);
        Step report = plan.step(assembled);
        Step gate = plan.step(assembled + 1);
        assertThat(report.render()).isEqualTo("write(5, \"\\4\", 1)");
        assertThat(gate.render()).isEqualTo("read(3, buf, 1)");
        assertThat(gate.description()).isEqualTo("wait for the runtime's work in the assembled root, before pivot_root");
        assertThat(indexOf(plan, "bind /dev/tty from the host")).isLessThan(assembled);
        assertThat(indexOf(plan, "link /dev/stderr to /proc/self/fd/2")).isLessThan(assembled);
        assertThat(firstIndexStartingWith(plan, "open sysctl net.ipv4.ip_forward")).isGreaterThan(assembled);
        assertThat(firstIndexStartingWith(plan, "mask /proc/")).isGreaterThan(assembled);
        assertThat(indexOf(plan, "make the new root the root")).isGreaterThan(assembled);
        // The sync pipe the gate reads stays open until then, and is closed after it.
        List<Integer> syncClosed = plan.steps().stream().filter(step -> step.render().equals("close(3)"))
                .map(plan.steps()::indexOf).toList();
        assertThat(syncClosed).singleElement().satisfies(close -> assertThat(close).isGreaterThan(assembled + 1));
    }

    @Test
    void aTerminalKeepsTheSyncPipeOpenPastTheGateForItsOwnRelease(@TempDir Path rootfs) {
        LaunchPlan plan = Plans.of(inRoot(rootfs).terminal(true).beforePivotRoot(pid -> { }), host);

        int assembled = indexOf(plan, ASSEMBLED);
        int terminalTaken = indexOf(plan, "wait for the runtime to take the terminal");
        assertThat(terminalTaken).isGreaterThan(assembled);
        assertThat(plan.steps().stream().filter(step -> step.render().equals("close(3)")).map(plan.steps()::indexOf))
                .singleElement().satisfies(close -> assertThat(close).isGreaterThan(terminalTaken));
    }

    @Test
    void withoutWorkBeforePivotRootThereIsNoSuchGate(@TempDir Path rootfs) {
        LaunchPlan plan = Plans.of(inRoot(rootfs), host);

        assertThat(plan.steps()).noneMatch(step -> step.description().equals(ASSEMBLED));
        assertThat(plan.steps()).filteredOn(step -> step.call().equals(Syscall.READ)).hasSize(1);
    }

    @Test
    void theAssembledRootIsAtItsOwnPathInTheHostsTreeWhileTheRuntimeWorks(@TempDir Path rootfs) throws IOException {
        LaunchPlan plan = Plans.of(inRoot(rootfs).beforePivotRoot(pid -> { }), host);
        String hostPath = "/oldroot" + rootfs.toRealPath();

        int assembled = indexOf(plan, ASSEMBLED);
        int mount = indexOf(plan, "open the mount of the assembled root");
        int target = indexOf(plan, "open " + rootfs.toRealPath() + " in the host's tree, which has no symlink");
        int moved = indexOf(plan, "move the assembled root onto " + rootfs.toRealPath() + " in the host's tree");
        int back = indexOf(plan, "move the assembled root back to /newroot");
        assertThat(plan.step(mount).render()).isEqualTo("open_tree(AT_FDCWD, \"/newroot\", OPEN_TREE_CLOEXEC)");
        assertThat(plan.step(target).render()).startsWith("openat2(AT_FDCWD, \"" + hostPath + "\", ")
                .contains("RESOLVE_NO_SYMLINKS");
        assertThat(plan.step(moved).render()).isEqualTo("move_mount($" + mount + ", \"\", $" + target
                + ", \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH)");
        assertThat(plan.step(back).render()).isEqualTo("move_mount($" + mount
                + ", \"\", AT_FDCWD, \"/newroot\", MOVE_MOUNT_F_EMPTY_PATH)");
        assertThat(moved).isLessThan(assembled);
        assertThat(back).isGreaterThan(assembled + 1).isLessThan(indexOf(plan, "make the new root the root"));
    }

    @Test
    void theHostsRootCannotBeMovedForWorkBeforePivotRoot() {
        assertThatIllegalArgumentException().isThrownBy(() -> Plans.of(Container.builder().command("true")
                        .filesystem(FilesystemSetup.rootfs(Path.of("/"))).beforePivotRoot(pid -> { }), host))
                .withMessage("work before pivot_root needs a root filesystem of the container's own, not the host's /");
    }

    @Test
    void aProcessJoiningBeforePivotRootMakesTheHostsTreeItsRootAndEntersTheAssembledRoot(@TempDir Path rootfs)
            throws IOException {
        LaunchPlan plan = Plans.of(Container.builder().command("/bin/sh", "-c", "touch ./lib/x").inheritHostname()
                .namespaces(NamespaceSet.of().joining(Namespace.MOUNT, Path.of("/proc/4242/ns/mnt")))
                .filesystem(FilesystemSetup.joiningBeforePivotRoot(rootfs)), host);

        int chroot = firstIndexOf(plan, Syscall.CHROOT);
        assertThat(plan.step(chroot).render()).isEqualTo("chroot(\"/oldroot\")");
        assertThat(indicesOf(plan, Syscall.CHDIR)).singleElement().satisfies(chdir -> {
            assertThat(chdir).isEqualTo(chroot + 1);
            assertThat(plan.step(chdir).render()).isEqualTo("chdir(\"" + rootfs.toRealPath() + "\")");
        });
        assertThat(firstIndexOf(plan, Syscall.SETNS)).isLessThan(chroot);
        assertThat(firstIndexOf(plan, Syscall.EXECVE)).isGreaterThan(chroot + 1);
        assertThat(indicesOf(plan, Syscall.MOUNT)).isEmpty();
        assertThat(indicesOf(plan, Syscall.PIVOT_ROOT)).isEmpty();
    }

    @Test
    void joiningBeforePivotRootNeedsAJoinedMountNamespace(@TempDir Path rootfs) {
        assertThatIllegalArgumentException().isThrownBy(() -> Plans.of(Container.builder().command("true").inheritHostname()
                        .namespaces(NamespaceSet.of()).filesystem(FilesystemSetup.joiningBeforePivotRoot(rootfs)), host))
                .withMessageContaining("joiningBeforePivotRoot works in the mount namespace of a container it joins");
    }

    @Test
    void workBeforePivotRootNeedsARootToEnter() {
        assertThatIllegalArgumentException().isThrownBy(() -> Plans.of(Container.builder().command("true").inheritHostname()
                        .namespaces(NamespaceSet.of()).filesystem(FilesystemSetup.unchanged())
                        .beforePivotRoot(pid -> { }), host))
                .withMessage("work before pivot_root needs a root to enter, which FilesystemSetup.unchanged() has not");
    }

    @Test
    void joiningBeforePivotRootTakesNoWorkingDirectory() {
        assertThatIllegalArgumentException().isThrownBy(() -> FilesystemSetup.joiningBeforePivotRoot(Path.of("/x"))
                        .withWorkingDirectory("/work"))
                .withMessageContaining("starts in the container's root");
    }
}
