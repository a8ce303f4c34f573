package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cgroup made ahead for a container (as runc's update.bats makes one to give it real-time time,
 * and pods make theirs) is the container's, as with runc; one with processes in it, which delete
 * would kill, or a frozen one, in which the container would never get past its set-up, is refused.
 */
class OciExistingCgroupTest {

    private static final Path FREEZER = Path.of("/sys/fs/cgroup/freezer");
    private static final Path PIDS = Path.of("/sys/fs/cgroup/pids");

    @TempDir
    Path work;

    private OciCli jrun;
    private String cgroupsPath;
    private BusyboxBundle bundle;

    @BeforeEach
    void bundleWithACgroupOfItsOwn() {
        BusyboxBundle.assumeRootAndBusybox();
        jrun = OciCli.in(work);
        cgroupsPath = HostSystem.freshCgroupPath("jrun-test-existing-");
        bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000");
        bundle.linux().put("cgroupsPath", cgroupsPath);
    }

    @AfterEach
    void deleteEveryContainerAndCgroup() throws IOException {
        if (jrun != null) {
            jrun.deleteEveryContainer();
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

    @Test
    void aCgroupMadeAheadWithAProcessInItIsRefusedAndKept() throws IOException, InterruptedException {
        Path pids = madeAhead(PIDS);
        Process sleeper = new ProcessBuilder("sleep", "1000").start();
        try {
            Files.writeString(pids.resolve("cgroup.procs"), Long.toString(sleeper.pid()));

            jrun.assertRefused("run", "-d", "-b", bundle.write().toString(), "ahead")
                    .contains("cgroup " + pids + " already exists and has processes: another container may be using it");

            assertThat(sleeper.isAlive()).isTrue();
            assertThat(jrun.run("state", "ahead").exitCode()).isNotZero();
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).containsExactly(pids);
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
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
