package dev.jrun.internal.cgroup;

import dev.jrun.model.DeviceRule;
import dev.jrun.model.ResourceStats;
import dev.jrun.model.Resources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The cgroup v2 driver on the real unified hierarchy, whatever controllers it
 * offers here (on a hybrid host, perhaps only hugetlb): placement, the device
 * filter (an eBPF program), freezing, statistics and removal.
 */
class CgroupV2Test {

    private CgroupHierarchy unified;

    @BeforeEach
    void findTheUnifiedHierarchy() throws IOException {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t"),
                "needs root: creating cgroups and attaching BPF programs");
        unified = CgroupHost.probe().unified().orElse(null);
        assumeTrue(unified != null, "needs a mounted cgroup2 hierarchy");
    }

    @Test
    void theDeviceFilterDeniesWhatTheRulesDoNotAllow() throws Exception {
        Resources devices = Resources.none().withDevices(
                List.of(DeviceRule.denyAll(), DeviceRule.allow(DeviceRule.Type.CHAR, 1, 3, "rw")));
        ContainerCgroup cgroup = new V2Driver(unified).create("jrun-test-" + ProcessHandle.current().pid(), devices);
        try {
            Process shell = new ProcessBuilder("sh", "-c",
                    "read go; head -c 1 /dev/zero >/dev/null 2>&1 && echo zero-allowed || echo zero-denied;"
                            + " cat /dev/null && echo null-allowed").redirectErrorStream(true).start();
            cgroup.add((int) shell.pid());
            try (OutputStream stdin = shell.getOutputStream()) {
                stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(shell.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("zero-denied\nnull-allowed\n");
        } finally {
            cgroup.delete();
        }
        assertThat(cgroup.directories()).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }

    @Test
    void aCgroupIsPlacedFrozenMeasuredAndRemoved() throws Exception {
        Resources hugetlb = unified.has("hugetlb") ? Resources.none().withHugepageLimit("2MB", 4L << 20) : Resources.none();
        ContainerCgroup cgroup = new V2Driver(unified).create("/jrun-test-" + ProcessHandle.current().pid() + "/nested", hugetlb);
        Path dir = cgroup.directories().getFirst();
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            cgroup.add((int) busy.pid());
            assertThat(Files.readString(dir.resolve("cgroup.procs")).strip()).isEqualTo(Long.toString(busy.pid()));
            if (unified.has("hugetlb")) {
                assertThat(Files.readString(dir.resolve("hugetlb.2MB.max")).strip()).isEqualTo(Long.toString(4L << 20));
            }
            cgroup.freeze();
            assertThat(Files.readString(dir.resolve("cgroup.events"))).contains("frozen 1");
            cgroup.thaw();
            ResourceStats stats = cgroup.stats();
            assertThat(stats.cpu()).hasValueSatisfying(cpu -> assertThat(cpu.usageNanos()).isPositive());
        } finally {
            cgroup.delete();
            busy.waitFor();
        }
        assertThat(dir).doesNotExist();
        assertThat(dir.getParent()).doesNotExist();
    }

    @Test
    void anExistingCgroupIsFoundAgainFromItsDirectory() {
        ContainerCgroup created = new V2Driver(unified).create("jrun-test-open-" + ProcessHandle.current().pid(), Resources.none());
        ContainerCgroup opened = new V2Driver(unified).open(created.directories());
        opened.delete();
        assertThat(created.directories()).allSatisfy(dir -> assertThat(dir).doesNotExist());
    }
}
