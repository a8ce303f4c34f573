package dev.jrun;

import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.User;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The protections jrun's own containers start with and how each is lifted: the masked and read-only
 * kernel files, the empty /run of the host sandbox, and its user namespace when root starts it.
 */
@Tag("plan")
class SandboxDefaultsTest {

    private static final FilesystemSetup.Generic EMPTY_RUN =
            new FilesystemSetup.Generic("tmpfs", "tmpfs", "/run", List.of("nosuid", "nodev", "mode=755"));

    @TempDir
    Path rootfs;

    @Test
    void bothStartingPointsMaskAndProtectTheKernelsFiles() {
        for (FilesystemSetup setup : List.of(FilesystemSetup.hostSandbox(), FilesystemSetup.rootfs(rootfs))) {
            assertThat(setup.maskedPaths()).isEqualTo(FilesystemSetup.DEFAULT_MASKED_PATHS)
                    .contains("/proc/kcore", "/proc/keys", "/sys/firmware", "/sys/devices/virtual/powercap");
            assertThat(setup.readOnlyPaths()).isEqualTo(FilesystemSetup.DEFAULT_READ_ONLY_PATHS)
                    .contains("/proc/sys", "/proc/sysrq-trigger");
            assertThat(setup.sys()).isTrue();
        }
        assertThat(FilesystemSetup.unchanged().maskedPaths()).isEmpty();
    }

    @Test
    void unmaskingLiftsOnePathFromBothListsOrAllOfThem() {
        FilesystemSetup sandbox = FilesystemSetup.hostSandbox().withMaskedPath("/proc/sys");

        FilesystemSetup oneLifted = sandbox.withUnmasked("/proc/sys");
        FilesystemSetup allLifted = sandbox.withAllUnmasked();

        assertThat(oneLifted.readOnlyPaths()).doesNotContain("/proc/sys").contains("/proc/bus");
        assertThat(oneLifted.maskedPaths()).isEqualTo(FilesystemSetup.DEFAULT_MASKED_PATHS);
        assertThat(allLifted.maskedPaths()).isEmpty();
        assertThat(allLifted.readOnlyPaths()).isEmpty();
        assertThat(allLifted.withMaskedPath("/proc/keys").maskedPaths()).containsExactly("/proc/keys");
    }

    @Test
    void unmaskingAPathThatIsNotProtectedIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FilesystemSetup.hostSandbox().withUnmasked("/proc/sys/kernel"))
                .withMessageStartingWith("/proc/sys/kernel is neither masked nor read-only; masked: [/proc/acpi,");
        assertThatIllegalArgumentException().isThrownBy(() -> FilesystemSetup.hostSandbox().withUnmasked("proc/sys"))
                .withMessage("unmasked path must be an absolute path: proc/sys");
    }

    @Test
    void theHostSandboxHidesTheHostsRunUnlessShared() {
        FilesystemSetup sandbox = FilesystemSetup.hostSandbox();
        boolean separateVarRun = Files.isDirectory(Path.of("/var/run")) && !Files.isSymbolicLink(Path.of("/var/run"));

        assertThat(sandbox.mounts()).contains(EMPTY_RUN);
        assertThat(sandbox.mounts()).filteredOn(mount -> mount.target().equals("/var/run"))
                .hasSize(separateVarRun ? 1 : 0);
        assertThat(sandbox.withSharedRun().mounts()).containsExactly(new FilesystemSetup.Tmpfs("/tmp"));
        assertThat(FilesystemSetup.rootfs(rootfs).mounts()).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> FilesystemSetup.rootfs(rootfs).withSharedRun())
                .withMessage("only the host sandbox has the host's /run to show");
    }

    @Test
    void rootsHostSandboxGetsAUserNamespaceWhoseRootIsAnUnprivilegedHostUser() {
        // As any other user every container is rootless already.
        Container sandbox = Container.builder().command("true").build(FakeHosts.root());

        assertThat(sandbox.namespaces().creates(Namespace.USER)).isTrue();
        assertThat(sandbox.uidMappings()).singleElement().satisfies(mapping -> {
            assertThat(mapping.containerId()).isZero();
            assertThat(mapping.hostId()).isGreaterThanOrEqualTo(65_536);
        });
        assertThat(sandbox.gidMappings()).isNotEmpty();
    }

    @Test
    void theHostsRootImageContainersAndChosenMappingsGetNoDefaultUserNamespace() {
        // As any other user every container is rootless already.
        List<IdMapping> chosen = List.of(new IdMapping(0, 200_000, 1000));

        Container hostRoot = Container.builder().command("true").hostRoot(true).build(FakeHosts.root());
        Container image = Container.builder().command("true").filesystem(FilesystemSetup.rootfs(rootfs)).build(FakeHosts.root());
        Container mapped = Container.builder().command("true").namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(chosen).gidMappings(chosen).build(FakeHosts.root());

        assertThat(hostRoot.namespaces().isolates(Namespace.USER)).isFalse();
        assertThat(image.namespaces().isolates(Namespace.USER)).isFalse();
        assertThat(mapped.uidMappings()).isEqualTo(chosen);
        assertThat(hostRoot.toBuilder().build(FakeHosts.root()).namespaces().isolates(Namespace.USER)).isFalse();
    }

    @Test
    void hostRootWithAUserNamespaceIsRefusedAndAnUnmappedUserSaysHowToRunAsTheHostsRoot() {
        // As any other user every container is rootless already.
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Container.builder().command("true").remappedUserNamespace().hostRoot(true).build(FakeHosts.root()))
                .withMessage("running as the host's root excludes a user namespace and ID mappings");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Container.builder().command("true").user(User.of(70_000, 70_000)).build(FakeHosts.root()))
                .withMessageStartingWith("uid 70000 is not mapped in the container's user namespace")
                .withMessageEndingWith("the host sandbox's root is an unprivileged host user unless it runs as the"
                        + " host's root (Container.Builder.hostRoot, jrun run --host-root)");
        assertThat(Container.builder().command("true").user(User.of(70_000, 70_000)).hostRoot(true).build(FakeHosts.root()).user().uid())
                .isEqualTo(70_000);
    }
}
