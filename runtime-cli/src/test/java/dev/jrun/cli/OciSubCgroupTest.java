package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cgroups below a container's own, which a process in it makes (in its cgroup namespace, through a
 * writable /sys/fs/cgroup): {@code exec --cgroup} runs a process in them and in no cgroup outside
 * the container's (runc's exec.bats, "runc exec --cgroup sub-cgroups"), and {@code delete --force}
 * kills their processes and removes them with the container's, as runc does (runc's delete.bats,
 * "runc delete --force in cgroupv1 with subcgroups").
 */
class OciSubCgroupTest {

    /** Hierarchies a process can join without further set-up (a new cpuset cgroup has no CPUs). */
    private static final List<String> CONTROLLERS = List.of("memory", "freezer", "pids");

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    private String cgroupsPath;

    @AfterEach
    void noCgroupIsLeft() throws IOException {
        if (cgroupsPath != null) {
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
        }
    }

    /** Starts the container {@code nested}, which sleeps, in a cgroup of a random name, with a writable /sys/fs/cgroup. */
    private void runNested() {
        cgroupsPath = HostSystem.freshCgroupPath("jrun-test-subcgroups-");
        BusyboxBundle bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000");
        bundle.linux().put("cgroupsPath", cgroupsPath);
        writableCgroupMount(bundle);
        OciCli.Result run = jrun.run("run", "-d", "-b", bundle.write().toString(), "nested");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    @Test
    void execRunsInTheContainersCgroupInEveryHierarchyOrInTheSubCgroupsNamed() throws IOException {
        runNested();
        OciCli.Result made = jrun.run("exec", "nested", "mkdir", "/sys/fs/cgroup/memory/sub", "/sys/fs/cgroup/pids/sub");
        assertThat(made.exitCode()).as(made.stderr()).isZero();

        OciCli.Result own = jrun.run("exec", "nested", "cat", "/proc/self/cgroup");
        OciCli.Result explicit = jrun.run("exec", "--cgroup", "/", "nested", "cat", "/proc/self/cgroup");
        OciCli.Result sub = jrun.run("exec", "--cgroup", "memory:sub", "--cgroup", "pids:/sub", "nested",
                "cat", "/proc/self/cgroup");

        // The container has no cgroup namespace of its own: its processes see the host's paths.
        for (OciCli.Result inOwn : List.of(own, explicit)) {
            assertThat(inOwn.exitCode()).as(inOwn.stderr()).isZero();
            assertThat(inOwn.stdout().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith(":" + cgroupsPath));
        }
        assertThat(sub.exitCode()).as(sub.stderr()).isZero();
        assertThat(sub.stdout().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).endsWith(
                line.contains(":memory:") || line.contains(":pids:") ? ":" + cgroupsPath + "/sub" : ":" + cgroupsPath));
        assertThat(sub.stdout()).contains(":memory:" + cgroupsPath + "/sub\n", ":pids:" + cgroupsPath + "/sub\n");
    }

    @Test
    void execRefusesACgroupOutsideTheContainersAMissingOneAndAnUnknownController() throws IOException {
        runNested();

        assertRefused(jrun.run("exec", "--cgroup", "..", "nested", "true"),
                "jrun: .. is not a sub cgroup path: it leads out of the container's cgroup /sys/fs/cgroup/");
        assertRefused(jrun.run("exec", "--cgroup", "memory:../../elsewhere", "nested", "true"),
                "jrun: ../../elsewhere is not a sub cgroup path");
        assertRefused(jrun.run("exec", "--cgroup", "missing", "nested", "true"), "jrun: adding pid ");
        assertThat(jrun.run("exec", "--cgroup", "pids:missing", "nested", "true").stderr())
                .contains(cgroupsPath + "/missing/cgroup.procs: no such file or directory (ENOENT)");
        assertRefused(jrun.run("exec", "--cgroup", "whaaat:/", "nested", "true"), "jrun: unknown controller whaaat (");
        assertRefused(jrun.run("exec", "--cgroup", "a:b:c", "nested", "true"), "jrun: invalid --cgroup argument: a:b:c");
        assertRefused(jrun.run("exec", "--cgroup", "sub", "--cgroup", "memory:sub", "nested", "true"),
                "jrun: invalid --cgroup argument: sub (missing CONTROLLER: prefix");
        // Nothing of the refused processes is left in the container's cgroup: its first process alone.
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).isNotEmpty().allSatisfy(dir -> assertThat(
                Files.readString(dir.resolve("cgroup.procs")).lines()).hasSizeLessThanOrEqualTo(1));
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath + "/missing")).isEmpty();
    }

    /** As runc's exec: 255, and the reason on stderr. */
    private static void assertRefused(OciCli.Result result, String message) {
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(255);
        assertThat(result.stderr()).startsWith(message);
    }

    @Test
    void deleteForceRemovesTheCgroupsTheContainerMadeBelowItsOwn() throws IOException {
        runNested();
        OciCli.Result nest = jrun.run("exec", "nested", "sh", "-e", "-c", """
                sleep 1000 >/dev/null 2>&1 & child=$!
                for c in %s; do
                  [ -f /sys/fs/cgroup/$c/cgroup.procs ] || continue
                  mkdir -p /sys/fs/cgroup/$c/sub/deeper
                  echo $child > /sys/fs/cgroup/$c/sub/deeper/cgroup.procs
                done""".formatted(String.join(" ", CONTROLLERS)));
        assertThat(nest.exitCode()).as(nest.stderr()).isZero();
        List<Path> deeper = HostSystem.cgroupDirectoriesNamed(cgroupsPath + "/sub/deeper");
        assertThat(deeper).as("the container made its sub-cgroups").isNotEmpty()
                .allSatisfy(dir -> assertThat(Files.readString(dir.resolve("cgroup.procs"))).isNotBlank());

        OciCli.Result delete = jrun.run("delete", "--force", "nested");

        assertThat(delete.exitCode()).as(delete.stderr()).isZero();
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
        assertThat(jrun.run("state", "nested").exitCode()).isNotZero();
    }

    /** The default spec's /sys/fs/cgroup without its "ro". */
    private static void writableCgroupMount(BusyboxBundle bundle) {
        for (JsonNode mount : bundle.config().get("mounts")) {
            if (mount.get("destination").asText().equals("/sys/fs/cgroup")) {
                ArrayNode options = ((ObjectNode) mount).putArray("options");
                List.of("nosuid", "noexec", "nodev", "relatime").forEach(options::add);
            }
        }
    }
}
