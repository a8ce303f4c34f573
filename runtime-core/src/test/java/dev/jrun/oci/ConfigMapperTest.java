package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.Plans;
import dev.jrun.internal.plan.HostFacts;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.launch.Step;
import dev.jrun.model.BlockIoDeviceWeight;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.DeviceRule;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.Resources;
import dev.jrun.model.Rlimit;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.User;
import dev.jrun.testing.FakeHosts;
import dev.jrun.testing.PlanSteps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * config.json onto the core: what maps to which launch steps, and what is refused, at which JSON
 * path. No root needed: only the plan is compiled, for jrun running as root (as an OCI runtime does).
 */
@Tag("plan")
class ConfigMapperTest {

    private static final HostFacts ROOT = FakeHosts.root();

    @TempDir
    Path bundle;

    @BeforeEach
    void rootfs() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs/etc"));
        Files.createDirectories(bundle.resolve("rootfs/proc"));
    }

    /** A valid configuration with {@code extra} (JSON members) added to the top level. */
    private static String config(String extra) {
        return """
                {"ociVersion": "1.3.0",
                 "process": {"args": ["sh", "-c", "true"], "cwd": "/", "env": ["PATH=/bin"]},
                 "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}]}%s}
                """.formatted(extra.isEmpty() ? "" : ", " + extra);
    }

    private Container map(String json) {
        return map(json, SecurityModules.NONE, ConfigNotes.NONE);
    }

    /** {@return the container {@code json} describes, mapped and built for a host with {@code modules}} */
    private Container map(String json, SecurityModules modules, ConfigNotes notes) {
        Spec spec = OciJson.read(json.getBytes(StandardCharsets.UTF_8), Spec.class, bundle.resolve("config.json"));
        return Plans.build(ConfigMapper.map(spec, bundle, bundle.resolve("config.json"), modules, notes),
                ROOT.withSecurityModules(modules));
    }

    private List<String> planOf(String json) {
        return PlanSteps.lines(map(json).plan());
    }

    @Test
    void aRelativeRootPathIsRelativeToTheBundle() throws IOException {
        assertThat(planOf(config(""))).anySatisfy(step -> assertThat(step)
                .startsWith("openat2(AT_FDCWD, \"/oldroot" + bundle.resolve("rootfs").toRealPath() + "\", "
                        + "{flags=O_PATH|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}, 24)"));
    }

    @Test
    void theProcessMapsArgsEnvironmentAndUmask() {
        Container container = map(config("").replace("\"env\": [\"PATH=/bin\"]",
                "\"env\": [\"PATH=/bin\", \"A=b=c\"], \"user\": {\"uid\": 0, \"gid\": 0, \"umask\": 18}"));

        assertThat(container.command()).containsExactly("sh", "-c", "true");
        assertThat(container.environment()).containsExactly(Map.entry("PATH", "/bin"), Map.entry("A", "b=c"));
        assertThat(container.user().umask()).hasValue(022);
        assertThat(container.hostname()).isEmpty();
    }

    @Test
    void anUnknownNamespaceIsRefusedAtItsPath() {
        String json = config("").replace("{\"type\": \"mount\"}]", "{\"type\": \"mount\"}, {\"type\": \"pdi\"}]");

        assertThatThrownBy(() -> map(json))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("linux.namespaces[2].type: unknown namespace \"pdi\"");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String json = config("\"hostname\": \"box\"").replace("\"cwd\": \"/\"", "\"cwd\": \"relative\"")
                .replace("\"path\": \"rootfs\"", "\"path\": \"missing\"");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "process.cwd: must be an absolute path: relative",
                                "hostname: needs a uts namespace apart from the host's, which linux.namespaces neither creates"
                                        + " nor joins",
                                "root.path: " + bundle.resolve("missing") + " does not exist"));
    }

    @Test
    void whatTheSpecForbidsIsRefusedAtItsPath() {
        String json = config("""
                "annotations": {"": "x"},
                "hooks": {"prestart": [{"path": "relative"}], "poststop": [{"path": "/bin/true", "timeout": 0}]},
                "mounts": [{"destination": "/x", "options": ["nosuid"]}]""")
                .replace("\"PATH=/bin\"", "\"PATH=/bin\", \"NOVALUE\"")
                .replace("{\"type\": \"pid\"}", "{\"type\": \"pid\"}, {\"type\": \"pid\"}, {\"type\": \"network\", \"path\": \"rel\"}")
                .replace("\"namespaces\"", "\"maskedPaths\": [\"proc/kcore\"], \"namespaces\"");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "annotations: a key must not be empty",
                                "hooks.prestart[0].path: must be an absolute path: relative",
                                "hooks.poststop[0].timeout: must be greater than zero, not 0",
                                "mounts[0].type: missing: only a bind mount may leave it out",
                                "process.env[1]: \"NOVALUE\" is not NAME=VALUE",
                                "linux.namespaces[1].type: \"pid\" is listed twice",
                                "linux.namespaces[2].path: must be an absolute path: rel",
                                "linux.maskedPaths[0]: masked path must be an absolute path: proc/kcore"));
    }

    /** A podman pod's containers join the pod's UTS namespace and set its hostname, which runc allows. */
    @Test
    void theHostnameIsSetInAJoinedUtsNamespace() {
        List<String> plan = planOf(config("\"hostname\": \"pod\"").replace("{\"type\": \"mount\"}",
                "{\"type\": \"mount\"}, {\"type\": \"uts\", \"path\": \"/proc/self/ns/uts\"}"));

        assertThat(plan).anySatisfy(step -> assertThat(step).startsWith("setns(").contains("CLONE_NEWUTS"));
        assertThat(plan).anySatisfy(step -> assertThat(step).startsWith("sethostname(\"pod\", 3)"));
    }

    @Test
    void aNamespacePathThatCannotBeOpenedIsRefusedWithTheErrno() {
        Path missing = bundle.resolve("no-such-namespace");
        String json = config("").replace("{\"type\": \"mount\"}",
                "{\"type\": \"mount\"}, {\"type\": \"network\", \"path\": \"" + missing + "\"}");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly("linux.namespaces[2].path: open net namespace " + missing
                                + ": ENOENT (No such file or directory)"));
    }

    @Test
    void aNulByteIsRefusedAtTheJsonPathOfEachStringThatHoldsOne() {
        String json = config("""
                "hostname": "box\\u0000",
                "annotations": {"note": "metadata may hold \\u0000"},
                "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                           {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m\\u0000"]},
                           {"destination": "/x\\u0000/etc", "type": "tmpfs", "source": "t\\u0000"}]""")
                .replace("\"-c\", \"true\"", "\"-c\", \"tr\\u0000ue\"")
                .replace("\"PATH=/bin\"", "\"PATH=/bin\\u0000\"")
                .replace("\"cwd\": \"/\"", "\"cwd\": \"/\\u0000\"")
                .replace("\"path\": \"rootfs\"", "\"path\": \"rootfs\\u0000\"")
                .replace("{\"type\": \"mount\"}", "{\"type\": \"mount\"}, {\"type\": \"network\", \"path\": \"/run/netns/x\\u0000\"}")
                .replace("\"namespaces\"", """
                        "maskedPaths": ["/proc/kcore\\u0000"], "readonlyPaths": ["/proc/sys\\u0000"],
                        "devices": [{"type": "p", "path": "/dev/fifo\\u0000"}], "sysctl": {"net.x\\u0000": "1\\u0000"},
                        "namespaces\"""");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "hostname: contains a NUL byte",
                                "process.args[2]: contains a NUL byte",
                                "process.env[0]: contains a NUL byte",
                                "process.cwd: contains a NUL byte",
                                "root.path: contains a NUL byte",
                                "mounts[1].options[0]: contains a NUL byte",
                                "mounts[2].destination: contains a NUL byte",
                                "mounts[2].source: contains a NUL byte",
                                "linux.namespaces[2].path: contains a NUL byte",
                                "linux.devices[0].path: contains a NUL byte",
                                "linux.maskedPaths[0]: contains a NUL byte",
                                "linux.readonlyPaths[0]: contains a NUL byte",
                                "linux.sysctl[\"net.x\\0\"]: the name contains a NUL byte",
                                "linux.sysctl[\"net.x\\0\"]: contains a NUL byte"));
    }

    @Test
    void aNulByteInAnExecProcessIsRefusedAtItsJsonPath() {
        Spec.Process process = OciJson.read("""
                {"args": ["sh", "-c", "tr\\u0000ue"], "cwd": "/"}""".getBytes(StandardCharsets.UTF_8),
                Spec.Process.class, bundle.resolve("process.json"));
        Spec container = OciJson.read(config("").getBytes(StandardCharsets.UTF_8), Spec.class, bundle.resolve("config.json"));

        assertThatThrownBy(() -> ConfigMapper.mapExec(process, 1, container, bundle.resolve("process.json"),
                SecurityModules.NONE, ConfigNotes.NONE))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(bundle.resolve("process.json") + ": args[2]: contains a NUL byte");
    }

    @Test
    void theSecuritySectionsMapOntoTheContainer() {
        String json = config("").replace("\"cwd\": \"/\"", """
                "cwd": "/", "user": {"uid": 1000, "gid": 100, "additionalGids": [5], "umask": 18},
                "capabilities": {"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL"],
                                 "permitted": ["CAP_KILL"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 18446744073709551615}],
                "noNewPrivileges": true, "oomScoreAdj": 100""")
                .replace("\"namespaces\"", """
                "resources": {"memory": {"limit": 33554432, "swap": 67108864}, "pids": {"limit": 64},
                              "cpu": {"shares": 512, "quota": 50000, "cpus": "0"},
                              "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 10,
                                           "minor": 200, "access": "rw"}]},
                "cgroupsPath": "/jrun-test/box",
                "seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                            "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]},
                "namespaces\"""");

        Container container = map(json);

        assertThat(container.user()).isEqualTo(new User(1000, 100, List.of(5L), OptionalInt.of(022)));
        assertThat(container.capabilities()).hasValue(Capabilities.none()
                .withBounding(List.of(Capability.KILL, Capability.CHOWN))
                .withEffective(List.of(Capability.KILL)).withPermitted(List.of(Capability.KILL)));
        assertThat(container.rlimits()).containsExactly(new Rlimit(Rlimit.Type.NOFILE, 100, Rlimit.UNLIMITED));
        assertThat(container.noNewPrivileges()).isTrue();
        assertThat(container.oomScoreAdj()).hasValue(100);
        Resources resources = container.resources();
        assertThat(resources.memoryLimit()).hasValue(32L << 20);
        assertThat(resources.memorySwap()).hasValue(64L << 20);
        assertThat(resources.pidsLimit()).hasValue(64);
        assertThat(resources.cpuShares()).hasValue(512);
        assertThat(resources.cpuQuota()).hasValue(50_000);
        assertThat(resources.cpuPeriod()).hasValue(Resources.DEFAULT_CPU_PERIOD_MICROS);
        assertThat(resources.cpusetCpus()).hasValue("0");
        assertThat(resources.devices()).startsWith(DeviceRule.denyAll(),
                DeviceRule.allow(DeviceRule.Type.CHAR, 10, 200, "rw"));
        assertThat(resources.devices()).containsAll(DeviceRule.containerDefaults().subList(1, 3));
        assertThat(container.cgroupPath()).hasValue("/jrun-test/box");
        assertThat(container.seccomp()).hasValue(SeccompProfile.defaultAction(SeccompProfile.Action.ALLOW)
                .withRule(SeccompProfile.Rule.of(SeccompProfile.Action.ERRNO, "mkdir").withErrnoRet(1)));
    }

    @Test
    void withoutCapabilitiesOrSeccompTheProcessHasNoCapabilitiesAndNoFilterAsWithRunc() {
        Container container = map(config(""));

        assertThat(container.capabilities()).hasValue(Capabilities.none());
        assertThat(container.seccomp()).isEmpty();
        assertThat(container.user()).isEqualTo(User.root());
        assertThat(container.resources().devices().getFirst()).isEqualTo(DeviceRule.denyAll());
    }

    @Test
    void aUserNamespaceMapsTheProcesssIds() {
        String json = config("").replace("{\"type\": \"mount\"}", "{\"type\": \"mount\"}, {\"type\": \"user\"}")
                .replace("\"namespaces\"", "\"uidMappings\": [{\"containerID\": 0, \"hostID\": 700000, \"size\": 1000}],"
                        + " \"gidMappings\": [{\"containerID\": 0, \"hostID\": 700000, \"size\": 1000}], \"namespaces\"");

        Container container = map(json);

        assertThat(container.namespaces().creates(Namespace.USER)).isTrue();
        assertThat(container.uidMappings()).containsExactly(new IdMapping(0, 700000, 1000));
        assertThat(container.gidMappings()).containsExactly(new IdMapping(0, 700000, 1000));
    }

    @Test
    void cgroupV1MemorySettingsMapAndTheDeprecatedKernelLimitsAreIgnoredWithAWarning() {
        List<String> warnings = new ArrayList<>();
        String memory = """
                "resources": {"memory": {"swappiness": 10, "disableOOMKiller": true, "kernel": 1048576,
                                         "kernelTCP": 1048576}}, "namespaces\"""";

        Resources resources = map(config("").replace("\"namespaces\"", memory), SecurityModules.NONE,
                new ConfigNotes(warnings::add, debug -> { })).resources();

        assertThat(resources.memorySwappiness()).hasValue(10);
        assertThat(resources.oomKillerDisabled()).isTrue();
        assertThat(warnings).containsExactly(
                "linux.resources.memory.kernel: ignored: kernel memory limits are deprecated",
                "linux.resources.memory.kernelTCP: ignored: kernel TCP buffer limits are deprecated");
    }

    @Test
    void theRealTimePeriodAndRuntimeMap() {
        Resources resources = map(config("").replace("\"namespaces\"", """
                "resources": {"cpu": {"realtimeRuntime": 950000, "realtimePeriod": 1000000}}, "namespaces\""""))
                .resources();

        assertThat(resources.cpuRealtimeRuntime()).hasValue(950_000);
        assertThat(resources.cpuRealtimePeriod()).hasValue(1_000_000);
    }

    /** runc's update.bats denies /dev/kmsg with access "rwa": runc keeps the r and w. */
    @Test
    void aDeviceAccessKeepsItsRWAndMAndLeavesOtherLettersOutWithAWarning() {
        List<String> warnings = new ArrayList<>();
        String devices = """
                "resources": {"devices": [{"allow": false, "access": "rwm"},
                                          {"allow": false, "type": "c", "major": 1, "minor": 11, "access": "rwa"},
                                          {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "mwrw"}]},
                "namespaces\"""";

        Resources resources = map(config("").replace("\"namespaces\"", devices), SecurityModules.NONE,
                new ConfigNotes(warnings::add, debug -> { })).resources();

        assertThat(resources.devices()).startsWith(DeviceRule.denyAll(),
                new DeviceRule(false, DeviceRule.Type.CHAR, 1, 11, "rw"), DeviceRule.allow(DeviceRule.Type.CHAR, 1, 3, "rwm"));
        assertThat(warnings).containsExactly(
                "linux.resources.devices[1].access: ignored: \"a\" of \"rwa\" is no device access (r, w, m), as runc takes it");
        assertThatThrownBy(() -> map(config("").replace("\"namespaces\"", """
                "resources": {"devices": [{"allow": true, "access": "xa"}]}, "namespaces\"""")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::where).containsExactly("linux.resources.devices[0]"));
    }

    /** Go engines write an unset swappiness as -1 in a uint64: 2^64-1. */
    @Test
    void aSwappinessOfMinusOneLeavesTheKernelsDefault() {
        Resources resources = map(config("").replace("\"namespaces\"",
                "\"resources\": {\"memory\": {\"swappiness\": 18446744073709551615}}, \"namespaces\"")).resources();

        assertThat(resources.memorySwappiness()).isEmpty();
    }

    @Test
    void blockIoWeightsOfSingleDevicesAndLeafWeightsAreMapped() {
        Resources resources = map(config("").replace("\"namespaces\"", """
                "resources": {"blockIO": {"weight": 333, "leafWeight": 200, "weightDevice": [
                    {"major": 7, "minor": 3, "weight": 444}, {"major": 8, "minor": 0, "leafWeight": 300}]}},
                "namespaces\"""")).resources();

        assertThat(resources.blockIoWeight()).hasValue(333);
        assertThat(resources.blockIoLeafWeight()).hasValue(200);
        assertThat(resources.blockIoDeviceWeights()).containsExactly(
                new BlockIoDeviceWeight(7, 3, OptionalInt.of(444), OptionalInt.empty()),
                new BlockIoDeviceWeight(8, 0, OptionalInt.empty(), OptionalInt.of(300)));
    }

    @Test
    void aDeviceWeightWithoutItsNumbersOrOutOfRangeIsRefusedAtItsPath() {
        String json = config("").replace("\"namespaces\"", """
                "resources": {"blockIO": {"weightDevice": [{"minor": 3, "weight": 444}, {"major": 7, "minor": 3, "weight": 1001}]}},
                "namespaces\"""");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::where).containsExactly("linux.resources.blockIO.weightDevice[0]",
                                "linux.resources.blockIO.weightDevice[1]"))
                .hasMessageContaining("block I/O weight of device 7:3 1001 is not between 10 and 1000");
    }

    @Test
    void whatTheCoreCannotHonourIsRefusedAtItsPath() {
        String json = config("").replace("\"cwd\": \"/\"", """
                "cwd": "/", "user": {"uid": -1},
                "capabilities": {"bounding": ["CAP_KILL", "CAP_FLY"], "ambient": ["CAP_KILL"]},
                "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1}, {"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2},
                            {"type": "RLIMIT_WINGS", "soft": 1, "hard": 1}, {"type": "RLIMIT_CORE", "soft": -1, "hard": 1}],
                "oomScoreAdj": 2000""")
                .replace("\"namespaces\"", """
                "resources": {"memory": {"limit": 0, "swappiness": 101},
                              "pids": {"limit": -5}, "cpu": {"realtimeRuntime": -2, "quota": 10},
                              "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1}]},
                              "network": {"classID": 1}, "rdma": {"mlx": {"hcaHandles": 1}},
                              "devices": [{"allow": true, "access": "x"}]},
                "cgroupsPath": "/a/../b",
                "seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                            "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ALLOW"},
                                         {"names": ["nosuchcall"], "action": "SCMP_ACT_ERRNO"},
                                         {"names": ["mkdir"], "action": "SCMP_ACT_FLY"}]},
                "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}], "namespaces\"""");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::where)
                        .containsExactlyInAnyOrder("process.user", "process.capabilities.bounding[1]",
                                "process.rlimits[1].type", "process.rlimits[2].type",
                                "process.rlimits[3].soft", "process.oomScoreAdj",
                                "linux.resources.memory.limit", "linux.resources.memory.swappiness",
                                "linux.resources.pids.limit",
                                "linux.resources.cpu.quota", "linux.resources.cpu.realtimeRuntime",
                                "linux.resources.blockIO.throttleReadBpsDevice", "linux.resources.network",
                                "linux.resources.rdma", "linux.resources.devices[0]", "linux.cgroupsPath",
                                "linux.seccomp.syscalls[2].action", "linux.uidMappings"));
    }

    /** {@code runc spec} lists ambient capabilities without an inheritable set; runc leaves them out, as the kernel would. */
    @Test
    void ambientCapabilitiesThatAreNotInheritableAreLeftOutAsRuncDoes() {
        Container container = map(config("").replace("\"cwd\": \"/\"", """
                "cwd": "/", "capabilities": {"bounding": ["CAP_KILL", "CAP_CHOWN"], "permitted": ["CAP_KILL", "CAP_CHOWN"],
                "inheritable": ["CAP_CHOWN"], "ambient": ["CAP_KILL", "CAP_CHOWN"]}"""));

        assertThat(container.capabilities().orElseThrow().ambient()).containsExactly(Capability.CHOWN);
    }

    @Test
    void anUnknownSystemCallIsRefusedAtItsRule() {
        String json = config("").replace("\"namespaces\"", """
                "seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                            "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ALLOW"},
                                         {"names": ["nosuchcall"], "action": "SCMP_ACT_ERRNO"}]},
                "namespaces\"""");

        assertThatThrownBy(() -> map(json))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("linux.seccomp.syscalls[1]: ")
                .hasMessageContaining("nosuchcall");
    }

    @Test
    void anUnknownArchitectureIsRefusedAtTheSectionNotAtARule() {
        String json = config("").replace("\"namespaces\"", """
                "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_VAX"],
                            "syscalls": [{"names": ["getpid"], "action": "SCMP_ACT_ERRNO"}]},
                "namespaces\"""");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::where).containsExactly("linux.seccomp"))
                .hasMessageContaining("unknown seccomp architecture \"SCMP_ARCH_VAX\"");
    }

    @Test
    void featuresJrunDoesNotSupportAreRefusedByName() {
        String json = config("\"vm\": {\"hypervisor\": {\"path\": \"/x\"}}, "
                + "\"mounts\": [{\"destination\": \"/data\", \"type\": \"tmpfs\", \"source\": \"t\", \"options\": [\"idmap\"]}]")
                .replace("\"namespaces\"", "\"intelRdt\": {}, \"namespaces\"");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "vm: running a container in a virtual machine is not supported",
                                "mounts[0]: mount option \"idmap\" is not supported: idmapped mounts need user namespaces,"
                                        + " which jrun does not support yet",
                                "linux.intelRdt: not supported yet"));
    }

    /** What podman and Docker send on a host with AppArmor and SELinux, run on one with neither. */
    private static String labelled() {
        return config("\"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
                + " {\"destination\": \"/tmp\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]")
                .replace("\"cwd\": \"/\"", "\"cwd\": \"/\", \"apparmorProfile\": \"containers-default\","
                        + " \"selinuxLabel\": \"system_u:system_r:container_t:s0\"")
                .replace("\"namespaces\"", "\"mountLabel\": \"system_u:object_r:container_file_t:s0\", \"namespaces\"");
    }

    @Test
    void securityLabelsAreLeftOutWithADebugLineWhereTheHostHasNeitherModule() {
        List<String> warnings = new ArrayList<>();
        List<String> debug = new ArrayList<>();

        List<String> plan = PlanSteps.lines(map(labelled(), SecurityModules.NONE,
                new ConfigNotes(warnings::add, debug::add)).plan());

        assertThat(debug).containsExactlyInAnyOrder(
                "process.apparmorProfile: ignored: AppArmor is not enabled on this host",
                "process.selinuxLabel: ignored: SELinux is not enabled on this host",
                "linux.mountLabel: ignored: SELinux is not enabled on this host");
        assertThat(warnings).isEmpty();
        assertThat(plan).noneSatisfy(step -> assertThat(step).contains("/attr/"));
        assertThat(plan).noneSatisfy(step -> assertThat(step).contains("context="));
    }

    @Test
    void withAppArmorTheProfileIsSetForExecveWhileStillRoot() {
        List<String> debug = new ArrayList<>();

        List<String> plan = PlanSteps.lines(map(labelled(), new SecurityModules(true, false),
                new ConfigNotes(warning -> { }, debug::add)).plan());

        assertThat(plan).containsSubsequence(
                "openat(AT_FDCWD, \"/proc/thread-self/attr/apparmor/exec\", O_WRONLY|O_CLOEXEC, 0)"
                        + " # open /proc/thread-self/attr/apparmor/exec to change to AppArmor profile"
                        + " containers-default on execve",
                "write($fd, \"exec containers-default\", 23) # change to AppArmor profile containers-default on execve",
                "close($fd) # close /proc/thread-self/attr/apparmor/exec",
                "setresuid(0, 0, 0) # switch to uid 0");
        assertThat(plan).noneSatisfy(step -> assertThat(step).contains("/proc/thread-self/attr/exec"));
        assertThat(debug).containsExactlyInAnyOrder(
                "process.selinuxLabel: ignored: SELinux is not enabled on this host",
                "linux.mountLabel: ignored: SELinux is not enabled on this host");
    }

    @Test
    void withSelinuxTheLabelIsSetForExecveAndTheMountLabelGoesToNewFilesystemsTheKernelDoesNotLabel() {
        List<String> plan = PlanSteps.lines(map(labelled(), new SecurityModules(false, true), ConfigNotes.NONE).plan());

        assertThat(plan).anySatisfy(step -> assertThat(step).startsWith(
                "write($fd, \"system_u:system_r:container_t:s0\", 32) # take SELinux label"));
        assertThat(plan).anySatisfy(step -> assertThat(step).contains("tmpfs").contains(
                "context=\"system_u:object_r:container_file_t:s0\""));
        assertThat(plan).filteredOn(step -> step.contains("context=")).noneSatisfy(step -> assertThat(step)
                .contains("\"proc\""));
        assertThat(plan).noneSatisfy(step -> assertThat(step).contains("apparmor"));
    }

    @Test
    void mountOptionsBecomeFlagsAttributesPropagationAndData() throws IOException {
        Path data = Files.createDirectories(bundle.resolve("data"));
        List<String> plan = planOf(config("""
                "mounts": [
                  {"destination": "/run", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "mode=755"]},
                  {"destination": "/data", "source": "data", "options": ["rbind", "ro", "nosuid", "rprivate"]},
                  {"destination": "/deep", "type": "bind", "source": "data", "options": ["rro"]}]"""));
        String source = data.toRealPath().toString();
        String onDescriptors = ", \"\", $fd, \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH) # ";

        assertThat(plan).containsSubsequence(
                "mount(\"tmpfs\", \"/staging\", \"tmpfs\", MS_NOSUID|MS_NODEV, \"mode=755\") # mount tmpfs on /run",
                "openat2($fd, \"/run\", {flags=O_PATH|O_DIRECTORY|O_CLOEXEC, resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}, 24)"
                        + " (EAGAIN: again) # open /run in the container's root",
                "move_mount($fd" + onDescriptors + "attach tmpfs on /run",
                "openat2(AT_FDCWD, \"/oldroot" + source + "\", {flags=O_PATH|O_CLOEXEC, resolve=RESOLVE_NO_SYMLINKS}, 24)"
                        + " (EAGAIN: again) # open the host's " + source + ", which has no symlink",
                "open_tree($fd, \"\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_EMPTY_PATH|AT_RECURSIVE)"
                        + " # copy the host's " + source + " to mount it",
                "mount_setattr($fd, \"\", AT_EMPTY_PATH, {attr_set=MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID, attr_clr=0}, 32)"
                        + " # set the options of /data",
                "move_mount($fd" + onDescriptors + "bind " + source + " on /data",
                "mount_setattr($fd, \"\", AT_EMPTY_PATH|AT_RECURSIVE, {propagation=MS_PRIVATE}, 32)"
                        + " # set the propagation of /data",
                "mount_setattr($fd, \"\", AT_EMPTY_PATH|AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0}, 32)"
                        + " # set the options of /deep and everything below it",
                "move_mount($fd" + onDescriptors + "bind " + source + " on /deep");
    }

    @Test
    void aSymlinkInTheRootfsCannotRedirectAMountOntoTheHost() throws IOException {
        Files.createSymbolicLink(bundle.resolve("rootfs/escape"), Path.of("/etc"));
        Files.createSymbolicLink(bundle.resolve("rootfs/up"), Path.of("../../../../etc"));

        List<String> plan = planOf(config("""
                "mounts": [{"destination": "/escape/x", "type": "tmpfs", "source": "tmpfs"},
                           {"destination": "/up/y", "type": "tmpfs", "source": "tmpfs"}]"""));

        assertThat(plan).contains(
                "mkdirat($fd, \"x\", 0755) (tolerates EEXIST) # create directory /etc/x",
                "mkdirat($fd, \"y\", 0755) (tolerates EEXIST) # create directory /etc/y");
        assertThat(plan).filteredOn(step -> step.startsWith("openat2($fd")).isNotEmpty()
                .allSatisfy(step -> assertThat(step).startsWith("openat2($fd, ").contains("resolve=RESOLVE_IN_ROOT|"));
        assertThat(plan).noneSatisfy(step -> assertThat(step).contains("\"/newroot/", "\"/oldroot/etc"));
    }

    @Test
    void maskedAndReadOnlyPathsTolerateAbsentPathsAndTheOtherKindOnly() {
        List<String> plan = planOf(config("").replace("\"namespaces\"",
                "\"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": [\"/proc/sys\"], \"namespaces\""));

        String onDescriptors = ", \"\", $fd, \"\", MOVE_MOUNT_F_EMPTY_PATH|MOVE_MOUNT_T_EMPTY_PATH)";
        assertThat(plan).containsSubsequence(
                "openat2($fd, \"/proc/kcore\", {flags=O_PATH|O_CLOEXEC, resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}, 24)"
                        + " (EAGAIN: again) (ENOENT, ENOTDIR: goto N) # open /proc/kcore in the container's root if it is there",
                "mount(\"tmpfs\", \"/staging\", \"tmpfs\", MS_RDONLY, NULL) # mount tmpfs on /proc/kcore",
                "move_mount($fd" + onDescriptors + " (tolerates ENOTDIR, EINVAL)"
                        + " # mask /proc/kcore (if a directory) with an empty tmpfs",
                "open_tree($fd, \"\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_EMPTY_PATH) # copy the host's /dev/null to mount it",
                "move_mount($fd" + onDescriptors + " (tolerates ENOTDIR, EINVAL)"
                        + " # mask /proc/kcore (if a file) with /dev/null",
                "openat2($fd, \"/proc/sys\", {flags=O_PATH|O_CLOEXEC, resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}, 24)"
                        + " (EAGAIN: again) (ENOENT, ENOTDIR: goto N) # open /proc/sys in the container's root if it is there",
                "open_tree($fd, \"\", OPEN_TREE_CLONE|OPEN_TREE_CLOEXEC|AT_RECURSIVE|AT_EMPTY_PATH) # copy /proc/sys to make it read-only",
                "mount_setattr($fd, \"\", AT_EMPTY_PATH|AT_RECURSIVE, {attr_set=MOUNT_ATTR_RDONLY, attr_clr=0}, 32)"
                        + " # make /proc/sys read-only",
                "move_mount($fd" + onDescriptors + " # put the read-only /proc/sys in place");
    }

    @Test
    void aBundleHasExactlyTheMaskedAndReadOnlyPathsOfItsConfigNotJrunsDefaults() {
        Container none = map(config(""));
        Container some = map(config("").replace("\"namespaces\"",
                "\"maskedPaths\": [\"/proc/keys\"], \"readonlyPaths\": [\"/proc/bus\"], \"namespaces\""));

        assertThat(none.filesystem().maskedPaths()).isEmpty();
        assertThat(none.filesystem().readOnlyPaths()).isEmpty();
        assertThat(some.filesystem().maskedPaths()).containsExactly("/proc/keys");
        assertThat(some.filesystem().readOnlyPaths()).containsExactly("/proc/bus");
    }

    @Test
    void devicesAreCreatedWithTheirModeAndNumbers() {
        List<String> plan = planOf(config("").replace("\"namespaces\"",
                "\"devices\": [{\"type\": \"c\", \"path\": \"/dev/fuse\", \"major\": 10, \"minor\": 229, \"fileMode\": 438,"
                        + " \"uid\": 0, \"gid\": 0}], \"namespaces\""));

        assertThat(plan).containsSubsequence(
                "umask(0) # create files with exactly the modes asked for",
                "openat2($fd, \"/dev\", {flags=O_PATH|O_DIRECTORY|O_CLOEXEC, resolve=RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS}, 24)"
                        + " (EAGAIN: again) # open directory /dev in the container's root",
                "mknodat($fd, \"fuse\", S_IFCHR|0666, makedev(10, 229)) (tolerates EEXIST) # create device /dev/fuse",
                "fchownat($fd, \"fuse\", 0, 0, AT_SYMLINK_NOFOLLOW) # set the owner of /dev/fuse",
                "umask($fd) # restore the umask");
        assertThat(plan).noneSatisfy(step -> assertThat(step).startsWith("fchmodat("));
    }

    /** runc's dev.bats "device cgroup deny": a node the configuration creates is not thereby allowed. */
    @Test
    void aCreatedDeviceNodeIsOnlyAllowedByTheDeviceRules() {
        String json = config("").replace("\"namespaces\"", """
                "devices": [{"type": "c", "path": "/dev/kmsg", "major": 1, "minor": 11},
                            {"type": "c", "path": "/dev/fuse", "major": 10, "minor": 229}],
                "resources": {"devices": [{"allow": false, "access": "rwm"},
                                          {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]},
                "namespaces\"""");

        List<DeviceRule> rules = map(json).resources().devices();

        assertThat(rules).startsWith(DeviceRule.denyAll(), DeviceRule.allow(DeviceRule.Type.CHAR, 10, 229, "rw"));
        assertThat(rules).noneMatch(rule -> rule.allow() && rule.major() == 1 && rule.minor() == 11);
    }

    /** podman's {@code --device /dev/fuse} sends the file-type bits with the permissions: 020600. */
    @Test
    void aDevicesFileTypeBitsAreLeftOutOfItsMode() {
        List<String> plan = planOf(config("").replace("\"namespaces\"",
                "\"devices\": [{\"type\": \"c\", \"path\": \"/dev/fuse\", \"major\": 10, \"minor\": 229,"
                        + " \"fileMode\": " + 0020600 + "}], \"namespaces\""));

        assertThat(plan).contains(
                "mknodat($fd, \"fuse\", S_IFCHR|0600, makedev(10, 229)) (tolerates EEXIST) # create device /dev/fuse");
    }

    @Test
    void sysctlsOfTheHostAreRefusedAndTheContainersAreWritten() {
        assertThatThrownBy(() -> map(config("").replace("\"namespaces\"",
                "\"sysctl\": {\"kernel.panic\": \"1\", \"net.ipv4.ip_forward\": \"1\"}, \"namespaces\"")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "linux.sysctl[\"kernel.panic\"]: sysctl kernel.panic is not namespaced: setting it"
                                        + " would change the host",
                                "linux.sysctl[\"net.ipv4.ip_forward\"]: sysctl net.ipv4.ip_forward belongs to the net"
                                        + " namespace, which the container shares with the host: setting it would change the host"));

        List<String> plan = planOf(config("").replace("\"namespaces\"", "\"sysctl\": {\"net.ipv4.ip_forward\": \"1\"}, \"namespaces\"")
                .replace("{\"type\": \"pid\"}", "{\"type\": \"pid\"}, {\"type\": \"network\"}"));

        assertThat(plan).anySatisfy(step -> assertThat(step)
                .startsWith("openat(AT_FDCWD, \"/oldroot/proc/sys/net/ipv4/ip_forward\", O_WRONLY|O_CLOEXEC, 0)"));
    }

    @Test
    void aMountNamespaceIsRequiredAndCannotBeJoined() {
        assertThatThrownBy(() -> map(config("").replace(", {\"type\": \"mount\"}", "")))
                .hasMessageContaining("linux.namespaces: jrun needs a mount namespace");
        assertThatThrownBy(() -> map(config("").replace("{\"type\": \"mount\"}", "{\"type\": \"mount\", \"path\": \"/proc/1/ns/mnt\"}")))
                .hasMessageContaining("linux.namespaces[1].path: joining a mount namespace is not supported");
    }

    @Test
    void aVersionOtherThanOneIsRefused() {
        assertThatThrownBy(() -> map(config("").replace("1.3.0", "2.0.0")))
                .hasMessageContaining("ociVersion: jrun speaks version 1 of the OCI runtime spec, not 2.0.0");
    }

    @Test
    void everyStepHasADescription() {
        assertThat(map(config("")).plan().steps()).extracting(Step::description).doesNotContainNull();
    }

    /** {@code config("")} with a time namespace and {@code offsets} (the JSON of linux.timeOffsets). */
    private static String withTimeOffsets(String namespace, String offsets) {
        return config("").replace("{\"type\": \"mount\"}]", "{\"type\": \"mount\"}" + namespace + "],"
                + " \"timeOffsets\": " + offsets);
    }

    @Test
    void timeOffsetsAreWrittenForTheNewTimeNamespaceBeforeTheClone() {
        List<String> plan = planOf(withTimeOffsets(", {\"type\": \"time\"}",
                "{\"monotonic\": {\"secs\": 3600}, \"boottime\": {\"secs\": -5, \"nanosecs\": 250}}"));

        int unshare = indexOfFirst(plan, "unshare(CLONE_NEWTIME)");
        int offsets = indexOfFirst(plan, "/proc/self/timens_offsets");
        assertThat(unshare).isNotNegative().isLessThan(offsets);
        assertThat(plan.get(offsets + 1)).contains("monotonic 3600 0", "boottime -5 250");
        assertThat(offsets).isLessThan(indexOfFirst(plan, "clone("));
    }

    private static int indexOfFirst(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void timeOffsetsWithoutANewTimeNamespaceOrWithUnknownClocksAreRefusedAtTheirPath() {
        assertThatThrownBy(() -> map(withTimeOffsets("", "{\"boottime\": {\"secs\": 1}}")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactly("linux.timeOffsets: needs a new time namespace: linux.namespaces must have"
                                + " {\"type\": \"time\"} without a path"));
        assertThatThrownBy(() -> map(withTimeOffsets(", {\"type\": \"time\"}",
                "{\"realtime\": {\"secs\": 1}, \"monotonic\": {\"secs\": 1, \"nanosecs\": 1000000000}}")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder("linux.timeOffsets.realtime: unknown clock (known: boottime, monotonic)",
                                "linux.timeOffsets.monotonic.nanosecs: 1000000000 is not between 0 and 999999999"));
    }

    @Test
    void thePersonalityIsSetBeforeTheCommand() {
        List<String> plan = planOf(config("").replace("\"namespaces\"",
                "\"personality\": {\"domain\": \"LINUX32\", \"flags\": []}, \"namespaces\""));

        int personality = indexOfFirst(plan, "personality(PER_LINUX32)");
        assertThat(personality).isNotNegative().isLessThan(indexOfFirst(plan, "execve("));
    }

    @Test
    void anUnknownDomainAndPersonalityFlagsAreRefusedAtTheirPath() {
        String json = config("").replace("\"namespaces\"",
                "\"personality\": {\"domain\": \"LINUX64\", \"flags\": [\"ADDR_NO_RANDOMIZE\"]}, \"namespaces\"");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "linux.personality.domain: unknown domain \"LINUX64\" (known: LINUX, LINUX32)",
                                "linux.personality.flags: personality flags are not supported"));
    }

    @Test
    void theSchedulerAndIoPriorityAreSetBeforeTheCommand() {
        List<String> plan = planOf(config("").replace("\"cwd\": \"/\"", "\"cwd\": \"/\","
                + " \"scheduler\": {\"policy\": \"SCHED_BATCH\", \"nice\": 5, \"flags\": [\"SCHED_FLAG_RESET_ON_FORK\"]},"
                + " \"ioPriority\": {\"class\": \"IOPRIO_CLASS_BE\", \"priority\": 6}"));

        int scheduler = indexOfFirst(plan, "sched_setattr(");
        int ioPriority = indexOfFirst(plan, "ioprio_set(");
        assertThat(plan.get(scheduler)).contains("sched_policy=SCHED_BATCH", "sched_flags=SCHED_FLAG_RESET_ON_FORK",
                "sched_nice=5");
        assertThat(plan.get(ioPriority)).contains("IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 6)");
        assertThat(List.of(scheduler, ioPriority)).allSatisfy(step ->
                assertThat(step).isNotNegative().isLessThan(indexOfFirst(plan, "execve(")));
    }

    @Test
    void badSchedulingValuesAreRefusedAtTheirPath() {
        String json = config("").replace("\"cwd\": \"/\"", "\"cwd\": \"/\","
                + " \"scheduler\": {\"policy\": \"SCHED_FIFO\", \"priority\": 100, \"flags\": [\"SCHED_FLAG_FAST\"]},"
                + " \"ioPriority\": {\"class\": \"IOPRIO_CLASS_RT\", \"priority\": 8}");
        String unknownPolicy = config("").replace("\"cwd\": \"/\"", "\"cwd\": \"/\","
                + " \"scheduler\": {\"policy\": \"SCHED_FAST\", \"priority\": 100},"
                + " \"ioPriority\": {\"class\": \"IOPRIO_CLASS_NONE\"}");

        assertThatThrownBy(() -> map(json))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "process.scheduler.flags[0]: unknown flag \"SCHED_FLAG_FAST\" (known: "
                                        + "SCHED_FLAG_RESET_ON_FORK, SCHED_FLAG_RECLAIM, SCHED_FLAG_DL_OVERRUN, "
                                        + "SCHED_FLAG_KEEP_POLICY, SCHED_FLAG_KEEP_PARAMS, SCHED_FLAG_UTIL_CLAMP_MIN, "
                                        + "SCHED_FLAG_UTIL_CLAMP_MAX)",
                                "process.ioPriority.priority: I/O priority 8 is not between 0 and 7"));
        assertThatThrownBy(() -> map(unknownPolicy))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::toString)
                        .containsExactlyInAnyOrder(
                                "process.scheduler.policy: unknown policy \"SCHED_FAST\" (known: SCHED_OTHER, "
                                        + "SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_IDLE, SCHED_DEADLINE)",
                                "process.ioPriority.class: unknown class \"IOPRIO_CLASS_NONE\" (known: "
                                        + "IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE)"));
        assertThatThrownBy(() -> map(config("").replace("\"cwd\": \"/\"", "\"cwd\": \"/\","
                + " \"scheduler\": {\"policy\": \"SCHED_RR\", \"priority\": 100}")))
                .hasMessageContaining("process.scheduler: priority 100 of SCHED_RR is not between 1 and 99");
    }
}
