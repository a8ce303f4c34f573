package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Resources;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A container sees its own cgroup at /sys/fs/cgroup, read-only, with its limits in it (a JVM inside
 * sizes its heap from them), never the host's tree: with a cgroup namespace of its own and without.
 */
class CgroupViewTest {

    private static final long LIMIT = 64L << 20;
    /** The memory limit file on a v1 or hybrid host, else on a unified one. */
    private static final String MEMORY_LIMIT =
            "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max";
    /**
     * How many cgroups are below the one the container sees as the root of its pids hierarchy: none
     * below its own, at least the path down to it below any of its ancestors.
     */
    private static final String CGROUPS_BELOW_THE_ROOT =
            "d=/sys/fs/cgroup/pids; [ -d $d ] || d=/sys/fs/cgroup; find $d -mindepth 1 -type d | wc -l";

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    /**
     * Runs {@code script} as the host's root: a container without a cgroup namespace returns to the
     * host's after mounting its cgroups, which only the host's root may.
     */
    private static ContainerRun run(NamespaceSet namespaces, String script) {
        return ContainerRun.run(Container.builder().command("sh", "-c", script).namespaces(namespaces).hostRoot(true)
                .resources(Resources.containerDefaults().withMemoryLimit(LIMIT)));
    }

    @Test
    void theDefaultSandboxSeesItsOwnLimitsToo() {
        ContainerRun run = ContainerRun.run(Container.builder().command("sh", "-c", MEMORY_LIMIT)
                .resources(Resources.containerDefaults().withMemoryLimit(LIMIT)));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout().strip()).isEqualTo(Long.toString(LIMIT));
    }

    @Test
    void theContainersOwnLimitsAreAtSysFsCgroup() {
        ContainerRun run = run(NamespaceSet.isolated(), MEMORY_LIMIT);

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdout().strip()).isEqualTo(Long.toString(LIMIT));
    }

    @Test
    void withoutACgroupNamespaceTheContainerStillSeesOnlyItsOwnCgroup() throws IOException {
        ContainerRun run = run(NamespaceSet.isolated().without(Namespace.CGROUP),
                MEMORY_LIMIT + "; " + CGROUPS_BELOW_THE_ROOT + "; readlink /proc/self/ns/cgroup");

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).as("limit, cgroups below the root, the cgroup namespace").containsExactly(
                Long.toString(LIMIT), "0", Files.readSymbolicLink(Path.of("/proc/self/ns/cgroup")).toString());
    }

    @Test
    void theCgroupFilesAreReadOnly() {
        ContainerRun run = run(NamespaceSet.isolated(), "echo 1 > /sys/fs/cgroup/pids/pids.max"
                + " || echo 1 > /sys/fs/cgroup/pids.max");

        assertThat(run.status().code()).isNotZero();
        assertThat(run.stderr()).contains("Read-only file system");
    }
}
