package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Block I/O weights on a cgroup v1 host whose devices use the BFQ scheduler (runc's cgroups.bats,
 * "runc run (per-device io weight for bfq)"): the weight in {@code blkio.bfq.weight}, a device's
 * in {@code blkio.bfq.weight_device}, at run and at update. The device is a loop device over a
 * 4 KiB file, switched to BFQ, as the bats test makes it.
 */
class OciBlockIoWeightTest {

    private static final Path BLKIO = Path.of("/sys/fs/cgroup/blkio");

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    private String cgroupsPath;
    private String loopDevice;

    @BeforeEach
    void loopDeviceWithBfq() throws IOException, InterruptedException {
        assumeTrue(Files.exists(BLKIO.resolve("cgroup.procs")), "this host has no cgroup v1 blkio hierarchy");
        cgroupsPath = HostSystem.freshCgroupPath("jrun-test-blkio-");
        Path backing = work.resolve("backing.img");
        Files.write(backing, new byte[4096]);
        Process losetup = new ProcessBuilder("losetup", "--find", "--show", backing.toString()).start();
        String device = new String(losetup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assumeTrue(losetup.waitFor() == 0 && !device.isEmpty(), "no loop device could be made (losetup failed)");
        loopDevice = device;
        Path scheduler = Path.of("/sys/block", Path.of(device).getFileName().toString(), "queue/scheduler");
        assumeTrue(Files.readString(scheduler).contains("bfq"), "the kernel has no BFQ I/O scheduler");
        Files.writeString(scheduler, "bfq");
    }

    @AfterEach
    void noCgroupIsLeftAndTheLoopDeviceIsDetached() throws IOException, InterruptedException {
        if (cgroupsPath != null) {
            assertThat(HostSystem.cgroupDirectoriesNamed(cgroupsPath)).as("cgroups left behind").isEmpty();
        }
        if (loopDevice != null) {
            assertThat(new ProcessBuilder("losetup", "-d", loopDevice).start().waitFor()).isZero();
        }
    }

    /** {@return the loop device's MAJOR:MINOR} */
    private String deviceNumbers() throws IOException {
        return Files.readString(Path.of("/sys/block", Path.of(loopDevice).getFileName().toString(), "dev")).strip();
    }

    private BusyboxBundle bundleWithWeights(String weights) {
        BusyboxBundle bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000");
        bundle.linux().put("cgroupsPath", cgroupsPath);
        ((ObjectNode) bundle.linux().get("resources")).set("blockIO", OciCli.json(weights));
        return bundle;
    }

    private String weightDevice() throws IOException {
        return Files.readString(BLKIO.resolve(cgroupsPath.substring(1)).resolve("blkio.bfq.weight_device"));
    }

    @Test
    void theWeightAndADevicesWeightGoToTheBfqFilesAtRunAndUpdate() throws IOException {
        String[] numbers = deviceNumbers().split(":");
        BusyboxBundle bundle = bundleWithWeights("{\"weight\": 333, \"weightDevice\": [{\"major\": " + numbers[0]
                + ", \"minor\": " + numbers[1] + ", \"weight\": 444}]}");

        OciCli.Result run = jrun.run("run", "-d", "-b", bundle.write().toString(), "weighted");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(weightDevice()).contains("default 333").contains(deviceNumbers() + " 444");

        Path update = work.resolve("update.json");
        Files.writeString(update, "{\"blockIO\": {\"weightDevice\": [{\"major\": " + numbers[0] + ", \"minor\": "
                + numbers[1] + ", \"weight\": 555}]}}");
        OciCli.Result updated = jrun.run("update", "-r", update.toString(), "weighted");

        assertThat(updated.exitCode()).as(updated.stderr()).isZero();
        assertThat(weightDevice()).contains("default 333").contains(deviceNumbers() + " 555");
    }

    /** Leaf weights are the CFQ scheduler's, which kernels since 5.0 lack: refused by the kernel, by file and errno. */
    @Test
    void aLeafWeightWithoutTheCfqFileIsRefusedNamingItAndLeavesNothing() throws IOException {
        assumeTrue(!Files.exists(BLKIO.resolve("blkio.weight")), "this kernel has the CFQ scheduler's files");
        BusyboxBundle bundle = bundleWithWeights("{\"leafWeight\": 300}");

        jrun.assertRefused("run", "-d", "-b", bundle.write().toString(), "leaf")
                .contains(cgroupsPath.substring(1) + "/blkio.leaf_weight").contains("ENOENT");

        assertThat(jrun.run("state", "leaf").exitCode()).isNotZero();
    }
}
