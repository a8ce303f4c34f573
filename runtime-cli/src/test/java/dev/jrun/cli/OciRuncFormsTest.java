package dev.jrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * runc's command line as tools written against it call it (root, busybox): {@code cd bundle;
 * runc run ID}, {@code run --keep}, and the flags jrun accepts for runc's sake.
 */
class OciRuncFormsTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    @Test
    void runIdInABundleDirectoryRunsThatBundleAsRuncDoes() {
        Path bundle = BusyboxBundle.create(work.resolve("here"), "sh", "-c", "echo from-the-bundle; exit 3").write();

        OciCli.Result run = jrun.runIn(bundle, "run", "here-id");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("from-the-bundle\n");
        assertThat(jrun.root().resolve("here-id")).doesNotExist();
    }

    @Test
    void aCommandAfterDoubleDashIsASandboxEvenInABundleDirectory() {
        Path bundle = BusyboxBundle.create(work.resolve("ignored"), "sh", "-c", "echo from-the-bundle").write();

        OciCli.Result run = jrun.runIn(bundle, "run", "--", "sh", "-c", "test -e /usr/bin/java && echo from-the-host");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("from-the-host\n");
    }

    @Test
    void sandboxOptionsInABundleDirectorySayWhichBundleTookTheCommandLine() {
        Path bundle = BusyboxBundle.create(work.resolve("taken"), "true").write();

        OciCli.Result run = jrun.runIn(bundle, "run", "sh", "true");

        assertThat(run.exitCode()).isEqualTo(FailureExit.OCI.code());
        assertThat(run.stderr()).startsWith("jrun: with a bundle (" + bundle + ")").contains("follows --");
    }

    @Test
    void runKeepLeavesTheContainerStoppedWithItsCgroupUntilDelete() throws IOException {
        BusyboxBundle kept = BusyboxBundle.create(work.resolve("kept"), "true");
        String cgroupsPath = "/jrun-test-keep-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        kept.linux().put("cgroupsPath", cgroupsPath);

        OciCli.Result run = jrun.run("run", "--keep", "-b", kept.write().toString(), "kept");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(jrun.state("kept").get("status").asText()).isEqualTo("stopped");
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("the kept container's cgroup").isNotEmpty();
        assertThat(jrun.run("delete", "kept").exitCode()).isZero();
        assertThat(jrun.root().resolve("kept")).doesNotExist();
        assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
    }

    @Test
    void execCapAddsTheCapabilityToEverySetAndAdditionalGidsAddGroups() {
        Path bundle = BusyboxBundle.create(work.resolve("execd"), "sleep", "1000").write();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), "execd").exitCode()).isZero();

        OciCli.Result plain = jrun.run("exec", "execd", "grep", "CapEff", "/proc/self/status");
        OciCli.Result added = jrun.run("exec", "--cap", "CAP_SYS_ADMIN", "--cap", "NET_ADMIN", "execd",
                "grep", "-E", "Cap(Eff|Bnd|Amb)", "/proc/self/status");
        OciCli.Result groups = jrun.run("exec", "--user", "1000:1000", "-g", "100", "--additional-gids", "65534",
                "execd", "id", "-G");

        assertThat(capabilities(plain.stdout()).getFirst() & (1L << 21)).as(plain.stdout()).isZero();
        assertThat(capabilities(added.stdout())).as(added.stdout()).hasSize(3)
                .allMatch(set -> (set & (1L << 21)) != 0 && (set & (1L << 12)) != 0, "has CAP_SYS_ADMIN and CAP_NET_ADMIN");
        assertThat(groups.stdout().strip()).as(groups.stderr()).isEqualTo("1000 100 65534");
    }

    /** runc's exit codes: 1 for a failure of runc, 255 for any failure of exec, the command's own code otherwise. */
    @Test
    void failuresExitWithRuncsCodesAndExecWith255() {
        Path bundle = BusyboxBundle.create(work.resolve("codes"), "sleep", "1000").write();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), "codes").exitCode()).isZero();

        OciCli.Result taken = jrun.run("create", "-b", bundle.toString(), "codes");
        OciCli.Result commandCode = jrun.run("exec", "codes", "sh", "-c", "exit 42");
        OciCli.Result noSuchBinary = jrun.run("exec", "codes", "no-such-binary");
        OciCli.Result noSuchContainer = jrun.run("exec", "no_such_container", "true");
        OciCli.Result badPidFile = jrun.run("exec", "--pid-file", "/non-existent/directory", "codes", "true");

        assertThat(taken.exitCode()).as(taken.stderr()).isEqualTo(1);
        assertThat(commandCode.exitCode()).as(commandCode.stderr()).isEqualTo(42);
        assertThat(List.of(noSuchBinary, noSuchContainer, badPidFile)).allSatisfy(failed ->
                assertThat(failed.exitCode()).as(failed.stderr()).isEqualTo(255));
    }

    /** Without linux.cgroupsPath the container's cgroup is named by its ID, below jrun's own, as runc names it. */
    @Test
    void aContainerWithoutCgroupsPathGetsACgroupNamedByItsId() throws IOException {
        Path bundle = BusyboxBundle.create(work.resolve("named"), "sleep", "1000").write();
        String id = "named-" + ProcessHandle.current().pid();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), id).exitCode()).isZero();
        int pid = jrun.state(id).get("pid").asInt();

        String pidsCgroup = Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream()
                .filter(line -> line.contains(":pids:")).findFirst().orElseThrow().split(":", 3)[2];
        Path directory = Path.of("/sys/fs/cgroup/pids" + pidsCgroup);
        boolean existed = Files.isDirectory(directory);
        assertThat(jrun.run("delete", "--force", id).exitCode()).isZero();

        assertThat(pidsCgroup).endsWith("/" + id);
        assertThat(existed).isTrue();
        assertThat(directory).doesNotExist();
    }

    /** runc's ps: the host's ps (-ef, or the arguments after the ID), its header and the container's lines only. */
    @Test
    void psRunsTheHostsPsAndKeepsTheContainersLines() throws InterruptedException {
        Path bundle = BusyboxBundle.create(work.resolve("listed"), "sleep", "1000").write();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), "listed").exitCode()).isZero();
        String pid = jrun.state("listed").get("pid").asText();

        OciCli.Result full = jrun.run("ps", "listed");
        OciCli.Result chosen = jrun.run("ps", "listed", "-o", "pid,args");
        OciCli.Result json = jrun.run("ps", "-f", "json", "listed");
        assertThat(jrun.run("kill", "listed", "KILL").exitCode()).isZero();
        awaitStopped("listed");
        OciCli.Result stopped = jrun.run("ps", "listed");

        assertThat(full.stdout().lines()).as(full.stderr()).hasSize(2);
        assertThat(full.stdout().lines().toList().getFirst()).matches("UID +PID +PPID +C +STIME +TTY +TIME +CMD");
        assertThat(full.stdout().lines().toList().getLast()).matches("root +" + pid + " .* sleep 1000");
        assertThat(chosen.stdout()).as(chosen.stderr()).matches(" *PID COMMAND\n *" + pid + " sleep 1000\n");
        assertThat(json.stdout()).isEqualTo("[" + pid + "]\n");
        assertThat(stopped.exitCode()).as(stopped.stderr()).isZero();
        assertThat(stopped.stdout().lines()).hasSize(1);
    }

    private void awaitStopped(String id) throws InterruptedException {
        for (int tries = 0; !jrun.state(id).get("status").asText().equals("stopped"); tries++) {
            assertThat(tries).as("the killed container is stopped by now").isLessThan(100);
            Thread.sleep(100);
        }
    }

    /** {@return the capability sets in lines of /proc/PID/status, as numbers} */
    private static List<Long> capabilities(String status) {
        return status.lines().map(line -> Long.parseUnsignedLong(line.substring(line.indexOf('\t') + 1), 16)).toList();
    }

    @Test
    void killAllReachesAStoppedContainerAsRuncsDoesAndAPlainKillIsRefused() throws InterruptedException {
        Path bundle = BusyboxBundle.create(work.resolve("killed"), "sleep", "1000").write();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), "killed").exitCode()).isZero();
        assertThat(jrun.run("kill", "killed", "KILL").exitCode()).isZero();
        awaitStopped("killed");

        OciCli.Result all = jrun.run("kill", "--all", "killed", "0");

        assertThat(all.exitCode()).as(all.stderr()).isZero();
        jrun.assertRefused("kill", "killed", "0").contains("it is stopped");
    }

    @Test
    void runcsSetUpFlagsAreAcceptedAndSaidToChangeNothing() {
        Path bundle = BusyboxBundle.create(work.resolve("flags"), "sh", "-c", "echo ran").write();

        OciCli.Result run = jrun.run("--debug", "run", "--no-pivot", "--no-new-keyring", "-b", bundle.toString(), "flags");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("ran\n");
        assertThat(run.stderr()).contains("--no-pivot: ignored", "--no-new-keyring: jrun never makes");
    }
}
