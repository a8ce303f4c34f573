package dev.jrun.internal.cgroup;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The sub-cgroup runc's {@code exec --cgroup} names, on a hybrid host (cpu and cpuacct mounted
 * together, memory, systemd's named hierarchy, the unified one) and on a v2 host: no file is read.
 */
class SubCgroupsTest {

    private static final CgroupHierarchy CPU = new CgroupHierarchy(Path.of("/sys/fs/cgroup/cpu,cpuacct"), false,
            Set.of("cpu", "cpuacct"), "");
    private static final CgroupHierarchy MEMORY = new CgroupHierarchy(Path.of("/sys/fs/cgroup/memory"), false,
            Set.of("memory"), "");
    private static final CgroupHierarchy SYSTEMD = new CgroupHierarchy(Path.of("/sys/fs/cgroup/systemd"), false,
            Set.of("name=systemd"), "");
    private static final CgroupHierarchy UNIFIED = new CgroupHierarchy(Path.of("/sys/fs/cgroup/unified"), true,
            Set.of(), "");
    private static final V1Driver HYBRID = new V1Driver(List.of(CPU, MEMORY, SYSTEMD), Optional.of(UNIFIED));
    private static final List<Path> CONTAINER = HYBRID.directories("/pod/ct");

    @Test
    void aPathForAControllerChangesItsHierarchyOnly() {
        assertThat(HYBRID.subCgroup(CONTAINER, Map.of("memory", "sub", "cpu", "/other/deeper"))).containsExactly(
                Path.of("/sys/fs/cgroup/cpu,cpuacct/pod/ct/other/deeper"), Path.of("/sys/fs/cgroup/memory/pod/ct/sub"),
                Path.of("/sys/fs/cgroup/systemd/pod/ct"), Path.of("/sys/fs/cgroup/unified/pod/ct"));
    }

    @Test
    void aPathWithoutControllerChangesEveryHierarchyAndSlashIsTheCgroupItself() {
        assertThat(HYBRID.subCgroup(CONTAINER, Map.of("", "sub"))).containsExactly(
                Path.of("/sys/fs/cgroup/cpu,cpuacct/pod/ct/sub"), Path.of("/sys/fs/cgroup/memory/pod/ct/sub"),
                Path.of("/sys/fs/cgroup/systemd/pod/ct/sub"), Path.of("/sys/fs/cgroup/unified/pod/ct/sub"));
        assertThat(HYBRID.subCgroup(CONTAINER, Map.of("", "/"))).isEqualTo(CONTAINER);
    }

    @Test
    void aPathLeavingTheContainersCgroupIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> HYBRID.subCgroup(CONTAINER, Map.of("", "..")))
                .withMessage(".. is not a sub cgroup path: it leads out of the container's cgroup"
                        + " /sys/fs/cgroup/cpu,cpuacct/pod/ct");
        assertThatIllegalArgumentException().isThrownBy(() -> HYBRID.subCgroup(CONTAINER, Map.of("memory", "a/../../b")))
                .withMessageStartingWith("a/../../b is not a sub cgroup path");
        // A sibling whose name starts with the container's is out too.
        assertThatIllegalArgumentException().isThrownBy(() -> HYBRID.subCgroup(CONTAINER, Map.of("memory", "../ct2")))
                .withMessageStartingWith("../ct2 is not a sub cgroup path");
    }

    @Test
    void aControllerNoHierarchyHasIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> HYBRID.subCgroup(CONTAINER, Map.of("whaaat", "/")))
                .withMessage("unknown controller whaaat (this host's cgroup hierarchies have cpu, cpuacct, memory,"
                        + " name=systemd)");
    }

    @Test
    void controllersSharingAHierarchyTakeOnePath() {
        assertThat(HYBRID.subCgroup(CONTAINER, Map.of("cpu", "sub", "cpuacct", "sub")).getFirst())
                .isEqualTo(Path.of("/sys/fs/cgroup/cpu,cpuacct/pod/ct/sub"));
        assertThatIllegalArgumentException().isThrownBy(() -> HYBRID.subCgroup(CONTAINER, Map.of("cpu", "a", "cpuacct", "b")))
                .withMessage("the controllers cpu, cpuacct share the hierarchy /sys/fs/cgroup/cpu,cpuacct: give them"
                        + " one sub-cgroup path, not a and b");
    }

    @Test
    void aPathForEveryHierarchyComesAlone() {
        assertThatIllegalArgumentException().isThrownBy(() -> HYBRID.subCgroup(CONTAINER, Map.of("", "a", "memory", "b")))
                .withMessage("a sub-cgroup for every hierarchy (a) comes alone, without paths for single controllers");
    }

    @Test
    void aV2HostHasOneHierarchyAndNoControllerToName() {
        V2Driver v2 = new V2Driver(new CgroupHierarchy(Path.of("/sys/fs/cgroup"), true, Set.of("memory", "pids"), ""));
        List<Path> container = v2.directories("/pod/ct");

        assertThat(v2.subCgroup(container, Map.of("", "sub"))).containsExactly(Path.of("/sys/fs/cgroup/pod/ct/sub"));
        assertThatIllegalArgumentException().isThrownBy(() -> v2.subCgroup(container, Map.of("memory", "sub")))
                .withMessageStartingWith("unknown controller memory");
    }
}
