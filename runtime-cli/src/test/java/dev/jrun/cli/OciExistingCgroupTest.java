package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cgroup made ahead for a container (as runc's update.bats makes one to give it real-time time,
 * and pods make theirs) is the container's, as with runc; one with processes in it is shared, with
 * runc's warning; a frozen one, in which the container would never get past its set-up, is refused.
 */
class OciExistingCgroupTest {

    private static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");
    private static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    private String cgroupsPath;
    private BusyboxBundle bundle;

    @BeforeEach
    void bundleWithACgroupOfItsOwn() {
        cgroupsPath = HostSystem.freshCgroupPath("jrun-test-existing-");
        bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000");
        bundle.linux().put("cgroupsPath", cgroupsPath);
    }

    @AfterEach
    void deleteTheCgroupsMadeAhead() throws IOException {
        if (cgroupsPath != null) {
            for (Path left : HostSystem.cgroupDirectoriesNamed(cgroupsPath)) {
                Files.delete(left);
            }
        }
    }

    private Path madeAhead(Path hierarchy) throws IOException {
        assumeTrue(Files.exists(hierarchy.resolve("cgroup.procs")), "this host has no cgroup v1 hierarchy " + hierarchy);
        return Files.createDirectory(hierarchy.resolve(cgroupsPath.substring(1)));
    }

    @Test
    void anEmptyCgroupMadeAheadIsTheContainersAndGoesWithIt() throws IOException {
        Path pids = madeAhead(PIDS);
        Files.writeString(pids.resolve("pids.max"), "42");

        OciCli.Result run = jrun.run("run", "-d", "-b", bundle.write().toString(), "ahead");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        int pid = jrun.state("ahead").get("pid").asInt();
        assertThat(Files.readString(pids.resolve("cgroup.procs")).lines()).containsExactly(Integer.toString(pid));
        assertThat(Files.readString(pids.resolve("pids.max")).strip()).as("what it was given ahead").isEqualTo("42");
        assertThat(jrun.run("delete", "--force", "ahead").exitCode()).isZero();
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).isEmpty();
    }

    /**
     * runc's cgroups.bats "runc run/create should warn about a non-empty cgroup": shared, with
     * runc's warning; the container has a PID namespace of its own, so delete ends only its
     * processes, and the cgroup stays for the process that was there first.
     */
    @Test
    void aCgroupMadeAheadWithAProcessInItIsSharedWithAWarningAndKeptAtDelete() throws IOException, InterruptedException {
        Path pids = madeAhead(PIDS);
        Process sleeper = new ProcessBuilder("sleep", "1000").start();
        try {
            Files.writeString(pids.resolve("cgroup.procs"), Long.toString(sleeper.pid()));

            OciCli.Result run = jrun.run("run", "-d", "-b", bundle.write().toString(), "ahead");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr()).contains("container's cgroup is not empty: 1 process(es) found");
            int pid = jrun.state("ahead").get("pid").asInt();
            assertThat(Files.readString(pids.resolve("cgroup.procs")).lines())
                    .containsExactlyInAnyOrder(Long.toString(sleeper.pid()), Integer.toString(pid));

            OciCli.Result delete = jrun.run("delete", "--force", "ahead");

            assertThat(delete.exitCode()).as(delete.stderr()).isZero();
            assertThat(sleeper.isAlive()).isTrue();
            assertThat(Files.readString(pids.resolve("cgroup.procs")).lines()).containsExactly(Long.toString(sleeper.pid()));
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("the cgroups jrun made are gone").containsExactly(pids);
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    /**
     * Two containers in one cgroup, each with a PID namespace of its own: {@code kill --all} and
     * delete of the second reach only its processes; the first runs on in the cgroup, which goes
     * with the last of them.
     */
    @Test
    void aSecondContainerSharesTheFirstsCgroupAndGoesWithoutTakingTheFirst() throws IOException {
        String config = bundle.write().toString();
        assertThat(jrun.run("run", "-d", "-b", config, "first").exitCode()).isZero();
        int first = jrun.state("first").get("pid").asInt();

        OciCli.Result second = jrun.run("run", "-d", "-b", config, "second");

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("container's cgroup is not empty: 1 process(es) found");
        int secondPid = jrun.state("second").get("pid").asInt();
        List<Path> cgroup = HostSystem.cgroupDirectoriesNamed(cgroupsPath);
        assertThat(cgroup).isNotEmpty().allSatisfy(dir -> assertThat(Files.readString(dir.resolve("cgroup.procs")).lines())
                .containsExactlyInAnyOrder(Integer.toString(first), Integer.toString(secondPid)));

        assertThat(jrun.run("kill", "--all", "second", "KILL").exitCode()).isZero();
        assertThat(jrun.run("delete", "--force", "second").exitCode()).isZero();

        assertThat(jrun.state("first").get("status").asText()).isEqualTo("running");
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).isEqualTo(cgroup)
                .allSatisfy(dir -> assertThat(Files.readString(dir.resolve("cgroup.procs")).lines())
                        .containsExactly(Integer.toString(first)));
        assertThat(jrun.run("delete", "--force", "first").exitCode()).isZero();
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).isEmpty();
    }

    @Test
    void aFrozenCgroupMadeAheadIsRefusedInRuncsWords() throws IOException {
        Path freezer = madeAhead(FREEZER);
        Files.writeString(freezer.resolve("freezer.state"), "FROZEN");

        jrun.assertRefused("run", "-d", "-b", bundle.write().toString(), "ahead")
                .contains("container's cgroup unexpectedly frozen: " + freezer);

        assertThat(jrun.run("state", "ahead").exitCode()).isNotZero();
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).containsExactly(freezer);
        Files.writeString(freezer.resolve("freezer.state"), "THAWED");
    }
}
