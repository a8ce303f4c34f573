package dev.jrun.cli;

import dev.jrun.cli.EngineCli.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * podman (Debian's, installed by .ci/run) drives jrun as its OCI runtime: {@code podman --runtime
 * jrun run}, {@code run -d}, {@code exec}, {@code stop}, {@code rm}, on a busybox image imported with
 * {@code podman import}. podman's storage, its containers.conf and jrun's state root are the
 * test's own temporary directories, reset at the end; the cgroups podman asks for
 * ({@code /libpod_parent/libpod-<id>}, cgroupfs) are gone once podman removed the container.
 *
 * <p>Tagged {@code podman}: excluded from the default build (it takes tens of seconds and needs
 * podman); {@code -Djrun.test.excludedGroups=} runs it, as .ci/run does.
 */
@Tag("podman")
class PodmanTest {

    private static final String IMAGE = "localhost/jrun-busybox:test";
    private static final long TIMEOUT_SECONDS = 120;

    @TempDir
    static Path work;

    private static EngineCli podman;
    /** jrun's state root, in the runtime script: podman's cleanup process does not get --runtime-flag. */
    private static Path stateRoot;

    @BeforeAll
    static void podmanWithJrun() throws IOException {
        BusyboxBundle.assumeRootAndBusybox();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")), "needs podman (apt-get install podman)");
        stateRoot = work.resolve("jrun-state");
        // podman's default ulimits exceed this sandbox's hard limits; cgroupfs and a file event log need no systemd.
        Path conf = Files.writeString(work.resolve("containers.conf"), """
                [containers]
                default_ulimits = []
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                """);
        Path runtime = OciCli.launcherScript(work.resolve("jrun"), "--root", stateRoot.toString());
        podman = new EngineCli(List.of("env", "CONTAINERS_CONF=" + conf, "/usr/bin/podman",
                "--root", work.resolve("storage").toString(), "--runroot", work.resolve("run").toString(),
                "--runtime", runtime.toString()), work);
        Path rootfs = BusyboxBundle.create(work.resolve("image")).directory().resolve("rootfs");
        // What podman's tmpfs on /run starts with (tmpcopyup): a file in a directory of its own owner and mode.
        Path runDirectory = Files.createDirectories(rootfs.resolve("run/app"));
        Files.writeString(runDirectory.resolve("image-file"), "from the image\n");
        Files.setAttribute(runDirectory, "unix:uid", 12);
        Files.setAttribute(runDirectory, "unix:gid", 34);
        Files.setPosixFilePermissions(runDirectory, PosixFilePermissions.fromString("rwx------"));
        Path tar = work.resolve("busybox.tar");
        assertThat(EngineCli.run(List.of("tar", "-C", rootfs.toString(), "-cf", tar.toString(), "."), work).exitCode())
                .isZero();
        Result imported = podman.run("import", "--change", "ENV=PATH=/bin", "--change", "CMD=[\"sh\"]",
                tar.toString(), IMAGE);
        assertThat(imported.exitCode()).as(imported.output()).isZero();
    }

    @AfterAll
    static void resetPodman() {
        if (podman != null) {
            podman.run("rm", "--all", "--force", "--time", "0");
            podman.run("system", "reset", "--force");
        }
    }

    @Test
    void runExitsWithTheContainersExitCodeAndRmLeavesNoTrace() throws IOException {
        Path idFile = work.resolve("run.id");
        Result run = podman.run("run", "--rm", "--cidfile", idFile.toString(), "--network", "none", IMAGE,
                "sh", "-c", "echo hello from jrun; exit 3");

        assertThat(run.output()).contains("hello from jrun");
        assertThat(run.exitCode()).as(run.output()).isEqualTo(3);
        assertNoTraceOf(Files.readString(idFile).strip());
    }

    @Test
    void aDetachedContainerTakesExecStopAndRm() {
        Result started = podman.run("run", "-d", "--network", "none", IMAGE, "sleep", "1000");
        assertThat(started.exitCode()).as(started.output()).isZero();
        String id = started.output().strip().lines().reduce((first, last) -> last).orElseThrow();

        Result exec = podman.run("exec", id, "sh", "-c", "echo in $(hostname); exit 4");
        assertThat(exec.output()).contains("in " + id.substring(0, 12));
        assertThat(exec.exitCode()).isEqualTo(4);
        assertThat(podman.run("stop", "--time", "1", id).exitCode()).isZero();
        assertThat(podman.run("rm", id).exitCode()).isZero();
        assertNoTraceOf(id);
    }

    /**
     * podman gives no cgroup namespace on cgroup v1: the container is in podman's cgroup, and sees
     * that cgroup, not the host's tree, at /sys/fs/cgroup, as with runc.
     */
    @Test
    void theContainerGetsPodmansCgroupWithItsPidsLimit() {
        Result run = podman.run("run", "--rm", "--network", "none", "--pids-limit", "77", IMAGE, "sh", "-c",
                "grep :pids: /proc/self/cgroup | cut -d: -f3; cat /sys/fs/cgroup/pids/pids.max;"
                        + " ls /sys/fs/cgroup/pids | grep -c libpod_parent || true");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).containsPattern("^/libpod_parent/libpod-[0-9a-f]{64}\n77\n0\n");
    }

    /**
     * podman --read-only: the root is read-only, the tmpfs mounts podman adds on /run, /tmp and
     * /var/tmp (made after the root's other mounts, before it turns read-only) are writable, and
     * /run starts with the image's content, as with runc.
     */
    @Test
    void aReadOnlyContainerWritesOnlyToItsTmpfsMounts() {
        Result run = podman.run("run", "--rm", "--network", "none", "--read-only", IMAGE, "sh", "-c",
                "touch /x 2>/dev/null || echo root read-only; touch /run/a /tmp/a /var/tmp/a && echo tmpfs writable;"
                        + " cat /run/app/image-file");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).isEqualTo("root read-only\ntmpfs writable\nfrom the image\n");
    }

    /** podman --tmpfs /run sends tmpcopyup: the tmpfs holds a copy of the image's /run, owners and modes kept. */
    @Test
    void aTmpfsOnRunStartsWithTheImagesRun() {
        Result run = podman.run("run", "--rm", "--network", "none", "--tmpfs", "/run", IMAGE, "sh", "-c",
                "stat -c '%a %u:%g' /run/app; cat /run/app/image-file; echo new > /run/app/new && cat /run/app/new;"
                        + " grep ' /run ' /proc/self/mountinfo | grep -c ' - tmpfs '");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).isEqualTo("700 12:34\nfrom the image\nnew\n1\n");
    }

    /** podman sends the device's file type in its mode (020600), which runc leaves out. */
    @Test
    void aHostDeviceIsCreatedWithItsNumbersAndMode() {
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse on the host");
        Result run = podman.run("run", "--rm", "--network", "none", "--device", "/dev/fuse", IMAGE, "sh", "-c",
                "stat -c '%F %t:%T %a' /dev/fuse");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).endsWith("character special file a:e5 600\n");
    }

    /** This test's own capabilities (root's, within what this host's bounding set allows), no seccomp filter, no masks. */
    @Test
    void aPrivilegedContainerGetsTheHostsCapabilitiesAndDevices() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/loop-control")) && Files.exists(Path.of("/proc/timer_list")),
                "needs /dev/loop-control (not a default device) and /proc/timer_list (masked by default) on the host");
        Result run = podman.run("run", "--rm", "--network", "none", "--privileged", IMAGE, "sh", "-c",
                "grep -E '^(CapEff|Seccomp):' /proc/self/status; test -c /dev/loop-control && echo devices;"
                        + " echo unmasked $(head -c 1 /proc/timer_list | wc -c)");
        String ownCapabilities = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("CapEff:")).findFirst().orElseThrow();

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains(ownCapabilities + "\n", "Seccomp:\t0\n", "devices\n", "unmasked 1\n");
    }

    /** jrun fails create with runc's message, from which podman takes 127 (not found) and 126 (not executable). */
    @Test
    void aMissingCommandExits127AndANonExecutableOne126AsWithRunc() {
        Result missing = podman.run("run", "--rm", "--network", "none", IMAGE, "nosuchcmd");
        Result notExecutable = podman.run("run", "--rm", "--network", "none", IMAGE, "/etc");

        assertThat(missing.exitCode()).as(missing.output()).isEqualTo(127);
        assertThat(missing.output()).contains("exec: \"nosuchcmd\": executable file not found in $PATH");
        assertThat(notExecutable.exitCode()).as(notExecutable.output()).isEqualTo(126);
        assertThat(notExecutable.output()).contains("exec: \"/etc\": permission denied");
    }

    /** {@code podman run -it} on a terminal nobody sized (0x0, as under {@code script} in CI) runs, as with runc. */
    @Test
    void anInteractiveTerminalContainerRunsOnAnUnsizedTerminal() throws IOException {
        List<String> command = podman.command("run", "--rm", "-it", "--network", "none", IMAGE,
                "sh", "-c", "test -t 0 && test -t 1 && echo on a terminal; exit 5");
        JrunCli.Result run;
        try (PseudoTerminal unsized = PseudoTerminal.sized(0, 0)) {
            run = unsized.run(command);
        }

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(5);
        assertThat(run.stdout()).contains("on a terminal");
    }

    /** Neither jrun's state nor a cgroup is left of the container. */
    private static void assertNoTraceOf(String id) {
        assertThat(stateRoot.resolve(id)).doesNotExist();
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            assertThat(hierarchies.map(h -> h.resolve("libpod_parent").resolve("libpod-" + id)))
                    .allSatisfy(cgroup -> assertThat(cgroup).doesNotExist());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

}
