package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.Arg;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Syscall;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jrun.testing.PlanSteps.firstIndexOf;
import static dev.jrun.testing.PlanSteps.indicesOf;
import static dev.jrun.testing.PlanSteps.stepsOf;
import static dev.jrun.testing.PlanSteps.text;
import static dev.jrun.testing.PlanSteps.value;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the namespace set shapes the launch plan: created namespaces, shared ones, joined ones; the same
 * whether jrun runs as root or not (its container then gets a user namespace too).
 */
@Tag("plan")
@ParameterizedClass
@MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
class NamespacePlanTest {

    private final HostFacts host;

    NamespacePlanTest(HostFacts host) {
        this.host = host;
    }

    private LaunchPlan planWith(NamespaceSet namespaces) {
        return Plans.of(Container.builder().command("true").namespaces(namespaces), host);
    }

    @Test
    void sharingTheHostNetworkSkipsTheLoopbackSetup() {
        LaunchPlan plan = planWith(NamespaceSet.isolated().without(Namespace.NETWORK));

        assertThat(indicesOf(plan, Syscall.SOCKET)).isEmpty();
        assertThat(stepsOf(plan, Syscall.IOCTL)).noneMatch(step -> value(step, 1) == Libc.SIOCSIFFLAGS());
        assertThat(plan.toString()).doesNotContain("SIOCSIFFLAGS", "socket(");
        assertThat(value(plan.step(firstIndexOf(plan, Syscall.CLONE)), 0) & Libc.CLONE_NEWNET()).isZero();
    }

    @Test
    void joiningANamespaceOpensItJoinsItAndClosesItBeforeTheClone() {
        Path netns = Path.of("/run/netns/lab");
        LaunchPlan plan = planWith(NamespaceSet.isolated().joining(Namespace.NETWORK, netns));

        int open = firstIndexOf(plan, Syscall.OPENAT);
        assertThat(text(plan.step(open), 1)).isEqualTo(netns.toString());
        assertThat(plan.step(open + 1).call()).isEqualTo(Syscall.SETNS);
        assertThat(plan.step(open + 1).args()).containsExactly(new Arg.ResultOf(open),
                Arg.named(Libc.CLONE_NEWNET(), "CLONE_NEWNET"));
        assertThat(plan.step(open + 2).call()).isEqualTo(Syscall.CLOSE);
        assertThat(plan.step(open + 2).args()).containsExactly(new Arg.ResultOf(open));
        assertThat(firstIndexOf(plan, Syscall.CLONE)).isGreaterThan(open + 2);
        assertThat(plan.toString()).contains("setns($" + open + ", CLONE_NEWNET)", "close($" + open + ")");
    }

    /**
     * Opened as the launcher's user: once in a joined user namespace, the namespace files of a
     * container still at its gate (the stub, not its command yet) may no longer be opened.
     */
    @Test
    void everyJoinedNamespaceIsOpenedBeforeAnyIsJoinedTheUserOneFirstTheMountOneLast() {
        LaunchPlan plan = Plans.of(Container.builder().command("true").inheritHostname()
                .filesystem(FilesystemSetup.unchanged())
                .namespaces(NamespaceSet.of().joining(Namespace.MOUNT, Path.of("/proc/9/ns/mnt"))
                        .joining(Namespace.NETWORK, Path.of("/proc/9/ns/net"))
                        .joining(Namespace.USER, Path.of("/proc/9/ns/user"))), host);

        List<Integer> opens = indicesOf(plan, Syscall.OPENAT).stream()
                .filter(i -> text(plan.step(i), 1).startsWith("/proc/9/ns/")).toList();
        List<Integer> joins = indicesOf(plan, Syscall.SETNS);
        assertThat(opens).hasSize(3);
        assertThat(joins).hasSize(3);
        assertThat(opens.getLast()).isLessThan(joins.getFirst());
        assertThat(joins.stream().map(i -> plan.step(i).render()).toList()).containsExactly(
                "setns($" + opens.get(0) + ", CLONE_NEWUSER)", "setns($" + opens.get(1) + ", CLONE_NEWNET)",
                "setns($" + opens.get(2) + ", CLONE_NEWNS)");
        assertThat(opens.stream().map(i -> text(plan.step(i), 1)).toList())
                .containsExactly("/proc/9/ns/user", "/proc/9/ns/net", "/proc/9/ns/mnt");
        assertThat(firstIndexOf(plan, Syscall.CLONE)).isGreaterThan(joins.getLast());
    }

    @Test
    void aJoinedNamespaceIsNotAlsoCreated() {
        LaunchPlan plan = planWith(NamespaceSet.isolated().joining(Namespace.NETWORK, Path.of("/proc/1/ns/net")));

        assertThat(value(plan.step(firstIndexOf(plan, Syscall.CLONE)), 0) & Libc.CLONE_NEWNET()).isZero();
        assertThat(indicesOf(plan, Syscall.SOCKET)).isEmpty();
    }

    @Test
    void aTimeNamespaceIsCreatedWithUnshareBeforeTheClone() {
        LaunchPlan plan = planWith(NamespaceSet.isolated().with(Namespace.TIME));

        int unshare = firstIndexOf(plan, Syscall.UNSHARE);
        assertThat(value(plan.step(unshare), 0)).isEqualTo(Libc.CLONE_NEWTIME());
        assertThat(unshare).isLessThan(firstIndexOf(plan, Syscall.CLONE));
    }

    /**
     * Only to mount /sys/fs/cgroup showing its own cgroup: the command runs in the shared one (an
     * image's root, as the host sandbox has a user namespace, in which the way back is closed).
     */
    @Test
    void withoutACgroupNamespaceTheContainerReturnsToTheSharedOne(@TempDir Path rootfs) {
        // Root's: any other user's containers have a user namespace.
        LaunchPlan plan = Plans.asRoot(Container.builder().command("true").filesystem(FilesystemSetup.rootfs(rootfs))
                .namespaces(NamespaceSet.isolated().without(Namespace.CGROUP)));

        assertThat(indicesOf(plan, Syscall.UNSHARE)).singleElement().satisfies(unshare ->
                assertThat(plan.step(unshare).description()).isEqualTo("see the container's own cgroup as the root of the cgroup mounts"));
        assertThat(indicesOf(plan, Syscall.SETNS)).singleElement().satisfies(setns -> {
            assertThat(setns).isGreaterThan(indicesOf(plan, Syscall.UNSHARE).getFirst());
            assertThat(plan.step(setns).render()).endsWith(", CLONE_NEWCGROUP)");
        });
    }

    /**
     * The host's cgroup namespace is the host user namespace's: with a user namespace, the
     * container may not mount cgroups in it, nor come back to it.
     */
    @Test
    void withAUserNamespaceAndNoCgroupNamespaceTheContainerKeepsTheOneItMountsCgroupsIn(@TempDir Path rootfs) {
        LaunchPlan plan = Plans.asRoot(Container.builder().command("true").filesystem(FilesystemSetup.rootfs(rootfs))
                .namespaces(NamespaceSet.isolated().without(Namespace.CGROUP).with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(0, 100_000, 65_536)))
                .gidMappings(List.of(new IdMapping(0, 100_000, 65_536))));

        assertThat(indicesOf(plan, Syscall.UNSHARE)).singleElement().satisfies(unshare -> {
            assertThat(value(plan.step(unshare), 0)).isEqualTo(Libc.CLONE_NEWCGROUP());
            assertThat(unshare).isGreaterThan(firstIndexOf(plan, Syscall.CLONE));
        });
        assertThat(indicesOf(plan, Syscall.SETNS)).isEmpty();
    }

    /** runc's userns.bats: a source under a directory only the host's root may enter is still bound. */
    @Test
    void withAUserNamespaceBindSourcesAreCopiedBeforeTheClone(@TempDir Path rootfs, @TempDir Path source)
            throws IOException {
        Files.createDirectories(rootfs.resolve("data"));
        LaunchPlan plan = Plans.asRoot(Container.builder().command("true")
                .filesystem(FilesystemSetup.rootfs(rootfs).withBind(source, "/data", FilesystemSetup.Access.READ_ONLY))
                .namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(List.of(new IdMapping(0, 100_000, 65_536)))
                .gidMappings(List.of(new IdMapping(0, 100_000, 65_536))));

        String realSource = source.toRealPath().toString();
        int clone = firstIndexOf(plan, Syscall.CLONE);
        assertThat(indicesOf(plan, Syscall.OPENAT2)).filteredOn(open -> text(plan.step(open), 1).endsWith(realSource))
                .singleElement().satisfies(open -> {
                    assertThat(text(plan.step(open), 1)).isEqualTo(realSource);
                    assertThat(open).isLessThan(clone);
                });
        assertThat(indicesOf(plan, Syscall.OPEN_TREE)).anyMatch(copy -> copy < clone);
    }
}
