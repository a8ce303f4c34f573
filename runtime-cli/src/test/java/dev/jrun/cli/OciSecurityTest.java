package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.model.ExitStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * config.json's security and cgroup sections through the command line, for real (root, busybox):
 * limits in the container's cgroup, pause and resume with the freezer, kill --all, ps and exec
 * over the cgroup, capabilities, seccomp, the user, and bad values refused at their JSON path
 * without a trace. Every container gets a cgroup of a fresh name at the hierarchies' top.
 */
class OciSecurityTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();
    private final Path root = jrun.root();

    private String cgroupsPath;

    @BeforeEach
    void stateRoot() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        cgroupsPath = "/jrun-test-" + HexFormat.of().formatHex(random);
    }

    @AfterEach
    void noCgroupIsLeft() throws IOException {
        if (cgroupsPath != null) {
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
        }
    }

    private BusyboxBundle bundle(String name, String... args) {
        BusyboxBundle bundle = BusyboxBundle.create(work.resolve(name), args);
        bundle.linux().put("cgroupsPath", cgroupsPath);
        return bundle;
    }

    @Test
    void memoryAndPidsLimitsAreWrittenToTheContainersCgroupWhichDeleteRemoves() {
        BusyboxBundle bundle = bundle("limits", "sleep", "1000");
        ObjectNode resources = (ObjectNode) bundle.linux().get("resources");
        resources.putObject("memory").put("limit", 32L << 20);
        resources.putObject("pids").put("limit", 20);
        assertSucceeds("run", "-d", "-b", bundle.write().toString(), "limits");

        assertThat(cgroupFile("limits", "memory.limit_in_bytes", "memory.max")).isEqualTo(Long.toString(32L << 20));
        assertThat(cgroupFile("limits", "pids.max", "pids.max")).isEqualTo("20");

        List<Path> directories = cgroupOf("limits");
        assertSucceeds("delete", "--force", "limits");
        assertThat(directories).isNotEmpty().allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void swappinessAndTheOomKillerSwitchAreWrittenOnACgroupV1Host() {
        assumeTrue(Files.exists(Path.of("/sys/fs/cgroup/memory/memory.swappiness")),
                "swappiness and the OOM killer switch are cgroup v1 files; this host has no v1 memory hierarchy");
        BusyboxBundle bundle = bundle("memory", "sleep", "1000");
        ((ObjectNode) bundle.linux().get("resources")).putObject("memory").put("limit", 32L << 20)
                .put("swappiness", 17).put("disableOOMKiller", true);
        assertSucceeds("run", "-d", "-b", bundle.write().toString(), "memory");

        assertThat(cgroupFile("memory", "memory.swappiness", "memory.swappiness")).isEqualTo("17");
        assertThat(cgroupFile("memory", "memory.oom_control", "memory.oom_control")).contains("oom_kill_disable 1");
        assertSucceeds("delete", "--force", "memory");
    }

    @Test
    void pauseFreezesTheContainerAndResumeThawsIt() {
        assertSucceeds("run", "-d", "-b", bundle("paused", "sleep", "1000").write().toString(), "paused");

        assertSucceeds("pause", "paused");
        assertThat(status("paused")).isEqualTo("paused");
        assertThat(freezerState("paused")).isIn("FROZEN", "1");
        jrun.assertRefused("pause", "paused").contains("cannot pause container \"paused\": it is paused, not running");
        OciCli.Result exec = jrun.run("exec", "paused", "true");
        assertThat(exec.exitCode()).isEqualTo(255);
        assertThat(exec.stderr()).contains("cannot exec in a paused container");

        assertSucceeds("resume", "paused");
        assertThat(status("paused")).isEqualTo("running");
        assertThat(freezerState("paused")).isIn("THAWED", "0");
    }

    /** runc's cgroups.bats "runc exec --ignore-paused": the process starts frozen, and resume is not kept out. */
    @Test
    void execIgnorePausedStartsFrozenAndRunsOnceResumed() throws InterruptedException, IOException {
        BusyboxBundle bundle = bundle("frozen", "sleep", "1000");
        ((ObjectNode) bundle.config().get("root")).put("readonly", false);
        assertSucceeds("run", "-d", "-b", bundle.write().toString(), "frozen");
        assertSucceeds("pause", "frozen");

        Process exec = jrun.startInBackground(jrun.command("exec", "--ignore-paused", "frozen",
                "sh", "-c", "echo ran > /tmp/exec-output"));
        // Resumed once the new process is in the frozen cgroup, so that it did start frozen.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(OciCli.TIMEOUT_SECONDS);
        while (cgroupProcesses("frozen").size() < 2) {
            assertThat(exec.isAlive()).as("exec --ignore-paused ended while the container was paused").isTrue();
            assertThat(System.nanoTime()).as("the exec'd process never joined the cgroup").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(status("frozen")).isEqualTo("paused");
        assertSucceeds("resume", "frozen");

        assertThat(exec.waitFor(OciCli.TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("exec ended").isTrue();
        assertThat(exec.exitValue()).isZero();
        assertThat(Files.readString(bundle.directory().resolve("rootfs/tmp/exec-output"))).isEqualTo("ran\n");
        assertSucceeds("delete", "--force", "frozen");
    }

    /** runc's cgroups.bats "cgroup v1+hybrid joins correct cgroup": the unified hierarchy too, with no limit there. */
    @Test
    void onAHybridHostTheContainerAndExecHaveTheirCgroupInTheUnifiedHierarchyToo() throws IOException {
        assumeTrue(HostSystem.mountPoints().contains("/sys/fs/cgroup/unified"), "this host is not a hybrid one");
        Path pidFile = work.resolve("hybrid.pid");
        assertSucceeds("run", "-d", "--pid-file", pidFile.toString(), "-b",
                bundle("hybrid", "sleep", "1000").write().toString(), "hybrid");

        String containers = Files.readString(Path.of("/proc", read(pidFile), "cgroup")).lines().toList().getLast();
        OciCli.Result exec = jrun.run("exec", "hybrid", "cat", "/proc/self/cgroup");

        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        assertThat(containers).isEqualTo("0::" + cgroupsPath);
        assertThat(exec.stdout().lines().toList().getLast()).isEqualTo(containers);
        assertSucceeds("delete", "--force", "hybrid");
    }

    /** runc's update.bats "pod cgroup": the pod's cpuset directory, made by someone else, has no CPUs yet. */
    @Test
    void aContainerBelowAnEmptyCpusetParentGetsItsCpus() throws IOException {
        Path cpuset = Path.of("/sys/fs/cgroup/cpuset");
        assumeTrue(Files.exists(cpuset.resolve("cpuset.cpus")), "this host has no v1 cpuset hierarchy");
        Path pod = Files.createDirectory(cpuset.resolve(cgroupsPath.substring(1)));
        try {
            assertThat(read(pod.resolve("cpuset.cpus"))).as("a new cpuset's CPUs").isEmpty();
            BusyboxBundle bundle = bundle("in-pod", "true");
            bundle.linux().put("cgroupsPath", cgroupsPath + "/container");

            run(bundle, "in-pod");

            assertThat(read(pod.resolve("cpuset.cpus"))).isEqualTo(read(cpuset.resolve("cpuset.cpus")));
        } finally {
            Files.delete(pod);
        }
    }

    /** runc's update.bats "pod cgroup with pod limit set": a shorter period fits the pod's share once the quota is lower. */
    @Test
    void updateLowersPeriodAndQuotaTogetherBelowAPodsCpuLimit() throws IOException {
        Path cpu = Path.of("/sys/fs/cgroup/cpu");
        assumeTrue(Files.exists(cpu.resolve("cpu.cfs_quota_us")), "this host has no v1 cpu hierarchy");
        Path pod = Files.createDirectory(cpu.resolve(cgroupsPath.substring(1)));
        try {
            Files.writeString(pod.resolve("cpu.cfs_quota_us"), "50000");
            BusyboxBundle bundle = bundle("pod-member", "sleep", "1000");
            bundle.linux().put("cgroupsPath", cgroupsPath + "/container");
            // The pod's whole share, as update.bats starts it: 10 ms periods would give it 50 times that.
            ((ObjectNode) bundle.linux().get("resources")).putObject("cpu").put("quota", 500000).put("period", 1000000);
            assertSucceeds("run", "-d", "-b", bundle.write().toString(), "pod-member");

            assertSucceeds("update", "--cpu-period", "10000", "--cpu-quota", "3000", "pod-member");

            assertThat(read(pod.resolve("container/cpu.cfs_period_us"))).isEqualTo("10000");
            assertThat(read(pod.resolve("container/cpu.cfs_quota_us"))).isEqualTo("3000");
        } finally {
            // delete removes the container's own cgroup; the pod's, as runc leaves it, is the test's.
            jrun.run("delete", "--force", "pod-member");
            for (Path podDirectory : HostSystem.cgroupDirectoriesNamed(cgroupsPath)) {
                Files.delete(podDirectory);
            }
        }
    }

    @Test
    void execJoinsTheCgroupWhosProcessesPsListsAndKillAllSignals() throws IOException {
        assertSucceeds("run", "-d", "-b", bundle("group", "sleep", "1000").write().toString(), "group");
        Path pidFile = work.resolve("exec.pid");
        assertSucceeds("exec", "-d", "--pid-file", pidFile.toString(), "group", "sleep", "2000");
        int exec = Integer.parseInt(Files.readString(pidFile).strip());

        assertThat(cgroupProcesses("group")).contains(exec, jrun.state("group").get("pid").asInt());
        JsonNode ps = OciCli.json(jrun.run("ps", "--format", "json", "group").stdout());
        assertThat(ps).extracting(JsonNode::asInt).containsExactly(jrun.state("group").get("pid").asInt(), exec);

        int first = jrun.state("group").get("pid").asInt();
        assertSucceeds("kill", "--all", "group", "KILL");
        // Both are this JVM's children now (it is their subreaper): the first process, PID 1 of the
        // container's namespace, ends only once the exec'd one was reaped.
        assertThat(Subreaper.waitFor(exec)).isEqualTo(ExitStatus.killed(9));
        assertThat(Subreaper.waitFor(first)).isEqualTo(ExitStatus.killed(9));
        assertThat(status("group")).isEqualTo("stopped");
        List<Path> directories = cgroupOf("group");
        assertSucceeds("delete", "group");
        assertThat(directories).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void theCapabilitiesOfConfigJsonAreTheProcesssAndNoneWithoutThem() {
        BusyboxBundle bundle = bundle("caps", "sh", "-c", "grep CapEff /proc/self/status");
        ObjectNode capabilities = bundle.process().putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            capabilities.putArray(set).add("CAP_KILL").add("CAP_NET_BIND_SERVICE");
        }
        assertThat(run(bundle, "caps").stdout()).isEqualTo("CapEff:\t0000000000000420\n");

        bundle.process().remove("capabilities");
        assertThat(run(bundle, "nocaps").stdout()).isEqualTo("CapEff:\t0000000000000000\n");
    }

    @Test
    void aSeccompProfileDenyingMkdirFailsItWithEperm() {
        BusyboxBundle bundle = bundle("seccomp", "sh", "-c", "mkdir /tmp/denied");
        ObjectNode seccomp = bundle.linux().putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86_64");
        seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_ERRNO").put("errnoRet", 1)
                .putArray("names").add("mkdir").add("mkdirat");

        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), "seccomp");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout() + result.stderr()).contains("Operation not permitted");
    }

    /**
     * runc's seccomp.bats: a profile that lists only i386 and x32 still filters x86-64, and a
     * startContainer hook runs under the container's filter, as runc runs it in the container's init.
     */
    @Test
    void aStartContainerHookRunsUnderTheContainersSeccompFilter() {
        BusyboxBundle bundle = bundle("hooked", "true");
        ObjectNode seccomp = bundle.linux().putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
        seccomp.putArray("architectures").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        seccomp.putArray("syscalls").addObject().put("action", "SCMP_ACT_KILL").putArray("names").add("mkdir").add("mkdirat");
        bundle.hook("startContainer", "/bin/sh", "sh", "-c", "mkdir /tmp/denied");

        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), "hooked");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("error running hook startContainer[0] (/bin/sh): killed by SIGSYS (bad system call)");
    }

    /** Below the launcher's own limit (20000 here), so that no CAP_SYS_RESOURCE is needed to set it. */
    @Test
    void eachRlimitGetsItsSoftAndHardValue() {
        BusyboxBundle bundle = bundle("limits", "sh", "-c", "grep -E 'open files|core file' /proc/self/limits");
        ArrayNode rlimits = bundle.process().putArray("rlimits");
        rlimits.addObject().put("type", "RLIMIT_NOFILE").put("soft", 3000).put("hard", 4000);
        rlimits.addObject().put("type", "RLIMIT_CORE").put("soft", 0).put("hard", 1024);

        assertThat(run(bundle, "limits").stdout()).containsPattern("Max core file size +0 +1024 +bytes")
                .containsPattern("Max open files +3000 +4000 +files");
    }

    /**
     * runc's userns.bats: a user namespace with mappings and no cgroup namespace, on a host with v1
     * hierarchies. Cgroups may not be mounted in the host's cgroup namespace from there; the
     * container's own cgroup is the root of its /sys/fs/cgroup/pids, as runc's bind has it.
     */
    @Test
    void aUserNamespaceWithoutACgroupNamespaceMountsItsOwnCgroups() throws IOException {
        assumeTrue(Files.exists(Path.of("/sys/fs/cgroup/pids/tasks")), "the pids hierarchy is not v1 on this host");
        BusyboxBundle bundle = bundle("userns", "sh", "-c",
                "grep -x 1 /sys/fs/cgroup/pids/tasks && id -u && awk '{print $2}' /proc/self/uid_map");
        inUserNamespace(bundle);

        assertThat(run(bundle, "userns").stdout()).isEqualTo("1\n0\n100000\n");
    }

    /** runc's userns.bats: the source's parent is root's only, which the namespace's root is not. */
    @Test
    void aUserNamespaceBindsASourceItsRootCouldNotReach() throws IOException {
        Path hidden = Files.createDirectories(work.resolve("hidden/dir"));
        Files.writeString(hidden.resolve("foo.txt"), "reached\n");
        Files.setPosixFilePermissions(hidden.getParent(), PosixFilePermissions.fromString("rwx------"));
        BusyboxBundle bundle = bundle("hidden-source", "cat", "/tmp/foo.txt");
        inUserNamespace(bundle);
        bundle.config().withArray("mounts").addObject().put("source", hidden.toString()).put("destination", "/tmp")
                .putArray("options").add("bind");

        assertThat(run(bundle, "hidden-source").stdout()).isEqualTo("reached\n");
    }

    /** What an engine sends on a host with AppArmor and SELinux runs here, where neither is enabled. */
    @Test
    void securityLabelsForModulesTheHostLacksAreLeftOutWithADebugLine() {
        assumeTrue(!Files.exists(Path.of("/sys/module/apparmor")) && !Files.exists(Path.of("/sys/fs/selinux")),
                "this host has AppArmor or SELinux, which would apply the labels");
        BusyboxBundle bundle = bundle("labelled", "echo", "ran");
        bundle.process().put("apparmorProfile", "containers-default-0.50")
                .put("selinuxLabel", "system_u:system_r:container_t:s0");
        bundle.linux().put("mountLabel", "system_u:object_r:container_file_t:s0");

        OciCli.Result result = jrun.run("--debug", "run", "-b", bundle.write().toString(), "labelled");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("ran\n");
        assertThat(result.stderr()).contains("level=debug msg=\"process.apparmorProfile: ignored: AppArmor is not enabled on this host\"",
                "level=debug msg=\"process.selinuxLabel: ignored: SELinux is not enabled on this host\"",
                "level=debug msg=\"linux.mountLabel: ignored: SELinux is not enabled on this host\"");
    }

    @Test
    void theProcessRunsAsTheUserOfConfigJson() {
        BusyboxBundle bundle = bundle("user", "sh", "-c", "echo $(id -u):$(id -g):$(id -G)");
        bundle.process().putObject("user").put("uid", 1000).put("gid", 1001).putArray("additionalGids").add(5);

        assertThat(run(bundle, "user").stdout()).isEqualTo("1000:1001:1001 5\n");
    }

    @Test
    void badValuesAreRefusedAtTheirJsonPathLeavingNothingBehind() {
        BusyboxBundle bundle = bundle("bad", "true");
        ((ArrayNode) bundle.process().get("capabilities").get("bounding")).add("CAP_FLY");
        ((ObjectNode) bundle.linux().get("resources")).putObject("pids").put("limit", -5);
        bundle.linux().putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW")
                .putArray("syscalls").addObject().put("action", "SCMP_ACT_ERRNO").putArray("names").add("nosuchcall");

        jrun.assertRefused("create", "-b", bundle.write().toString(), "bad")
                .contains("process.capabilities.bounding[3]: unknown capability \"CAP_FLY\"")
                .contains("linux.resources.pids.limit: pids limit -5 must be positive")
                .contains("linux.seccomp.syscalls[0]: ")
                .contains("nosuchcall");
        assertThat(root.resolve("bad")).doesNotExist();
    }

    @Test
    void aLimitTheKernelRefusesLeavesNoCgroupBehind() {
        BusyboxBundle bundle = bundle("cpuset", "true");
        ((ObjectNode) bundle.linux().get("resources")).putObject("cpu").put("cpus", "4095");

        jrun.assertRefused("create", "-b", bundle.write().toString(), "cpuset").contains("cpuset.cpus");
        assertThat(root.resolve("cpuset")).doesNotExist();
    }

    @Test
    void aMemoryLimitTooLowForTheSetUpIsReportedAsTheOomKillAndLeavesNothingBehind() {
        BusyboxBundle bundle = bundle("starved", "true");
        ((ObjectNode) bundle.linux().get("resources")).putObject("memory").put("limit", 4096);

        jrun.assertRefused("run", "-b", bundle.write().toString(), "starved").isEqualTo(
                "jrun: the container was killed by the OOM killer during set-up: memory limit 4096 bytes is too low\n");
        assertThat(root.resolve("starved")).doesNotExist();
    }

    /** Gives the bundle runc's userns.bats user namespace: root as host user 100000, and 65533 more. */
    private void inUserNamespace(BusyboxBundle bundle) throws IOException {
        bundle.linux().withArray("namespaces").addObject().put("type", "user");
        bundle.linux().putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65534);
        bundle.linux().putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65534);
        // The IDs of the user namespace must reach the bundle's root filesystem, as in runc's tests.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private OciCli.Result run(BusyboxBundle bundle, String id) {
        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), id);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result;
    }

    private void assertSucceeds(String... args) {
        OciCli.Result result = jrun.run(args);
        assertThat(result.exitCode()).as("jrun " + String.join(" ", args) + ": " + result.stderr()).isZero();
    }

    private String status(String id) {
        return jrun.state(id).get("status").asText();
    }

    /** {@return the cgroup directories the container's record keeps} */
    private List<Path> cgroupOf(String id) {
        JsonNode record = OciCli.json(read(root.resolve(id).resolve("state.json")));
        List<Path> directories = new ArrayList<>();
        record.get("cgroup").forEach(dir -> directories.add(Path.of(dir.asText())));
        return directories;
    }

    /** {@return the content of a file of the container's cgroup: its cgroup v1 name, or else its v2 name} */
    private String cgroupFile(String id, String v1Name, String v2Name) {
        return cgroupOf(id).stream()
                .flatMap(dir -> Stream.of(dir.resolve(v1Name), dir.resolve(v2Name)))
                .filter(Files::exists).findFirst()
                .map(OciSecurityTest::read)
                .orElseThrow(() -> new AssertionError("no " + v1Name + " or " + v2Name + " in " + cgroupOf(id)));
    }

    private String freezerState(String id) {
        return cgroupFile(id, "freezer.state", "cgroup.freeze");
    }

    private List<Integer> cgroupProcesses(String id) {
        return cgroupFile(id, "cgroup.procs", "cgroup.procs").lines().map(Integer::valueOf).toList();
    }

    /** {@return the directories named {@code path} below /sys/fs/cgroup, in any hierarchy} */
    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
