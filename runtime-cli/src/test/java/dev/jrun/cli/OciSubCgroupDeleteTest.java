package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A process in a container makes cgroups below the container's own (in its cgroup namespace,
 * through a writable /sys/fs/cgroup) and moves a child into them; {@code delete --force} kills
 * that child too and removes the sub-cgroups with the container's, as runc does (runc's
 * delete.bats, "runc delete --force in cgroupv1 with subcgroups").
 */
class OciSubCgroupDeleteTest {

    /** Hierarchies a process can join without further set-up (a new cpuset cgroup has no CPUs). */
    private static final List<String> CONTROLLERS = List.of("memory", "freezer", "pids");

    @TempDir
    Path work;

    private OciCli jrun;
    private String cgroupsPath;

    @AfterEach
    void deleteEveryContainer() throws IOException {
        if (jrun != null) {
            jrun.deleteEveryContainer();
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
        }
    }

    @Test
    void deleteForceRemovesTheCgroupsTheContainerMadeBelowItsOwn() throws IOException {
        BusyboxBundle.assumeRootAndBusybox();
        jrun = OciCli.in(work);
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        cgroupsPath = "/jrun-test-subcgroups-" + HexFormat.of().formatHex(random);
        BusyboxBundle bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000");
        bundle.linux().put("cgroupsPath", cgroupsPath);
        writableCgroupMount(bundle);
        OciCli.Result run = jrun.run("run", "-d", "-b", bundle.write().toString(), "nested");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
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
