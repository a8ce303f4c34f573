package dev.jrun.internal.cgroup;

import dev.jrun.internal.sys.KernelFiles;
import dev.jrun.internal.sys.ProcStat;
import dev.jrun.model.Resources;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The removal of cgroups that containers dying with their jrun leave when that jrun is killed:
 * real cgroups below this JVM's, named for owners alive and gone, empty and not.
 */
class AbandonedCgroupsTest {

    private CgroupDriver driver;
    private final List<String> names = new ArrayList<>();
    private Process member;

    @BeforeEach
    void driver() {
        RequiresRoot.assumeRoot("creates cgroups");
        CgroupHost host = CgroupHost.probe();
        assumeTrue(host.unavailableReason().isEmpty(), () -> "needs cgroups: " + host.unavailableReason().orElseThrow());
        driver = host.driver();
    }

    @AfterEach
    void removeWhatIsLeft() throws InterruptedException {
        if (member != null) {
            member.destroyForcibly();
            member.waitFor();
        }
        for (String name : names) {
            driver.directories(name).reversed().forEach(KernelFiles::rmdir);
        }
    }

    /** {@return a cgroup name recording {@code owner}, created in every hierarchy} */
    private String createFor(CgroupOwner owner) {
        String name = owner.cgroupName(randomHex());
        names.add(name);
        driver.directories(name).forEach(KernelFiles::mkdir);
        return name;
    }

    private static String randomHex() {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** {@return an owner that is gone: a process of this test that ended and was reaped} */
    private static CgroupOwner goneOwner() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("sleep", "1000").start();
        CgroupOwner owner = new CgroupOwner(process.pid(), ProcStat.of(process.pid()).orElseThrow().startTime());
        process.destroyForcibly();
        process.waitFor();
        return owner;
    }

    private List<Path> existing(String name) {
        return driver.directories(name).stream().filter(Files::isDirectory).toList();
    }

    @Test
    void anEmptyCgroupWhoseOwnerIsGoneIsRemovedFromEveryHierarchy() throws Exception {
        String ended = createFor(goneOwner());
        CgroupOwner self = CgroupOwner.thisProcess();
        String pidReused = createFor(new CgroupOwner(self.pid(), self.startTime() + 1));

        AbandonedCgroups.remove(driver);

        assertThat(existing(ended)).isEmpty();
        assertThat(existing(pidReused)).as("the start time tells a later process with the owner's PID apart").isEmpty();
    }

    /** Another jrun whose own cgroup differs in one hierarchy removed only the directories it shares. */
    @Test
    void aCgroupLeftInOneHierarchyOnlyIsRemovedToo() throws Exception {
        String name = goneOwner().cgroupName(randomHex());
        names.add(name);
        Path last = driver.directories(name).getLast();
        KernelFiles.mkdir(last);

        AbandonedCgroups.remove(driver);

        assertThat(last).doesNotExist();
    }

    @Test
    void aCgroupWhoseOwnerLivesStays() {
        String owned = createFor(CgroupOwner.thisProcess());

        AbandonedCgroups.remove(driver);

        assertThat(existing(owned)).containsExactlyElementsOf(driver.directories(owned));
    }

    @Test
    void aCgroupWithAProcessStaysInEveryHierarchyUntilItIsEmpty() throws Exception {
        String name = goneOwner().cgroupName(randomHex());
        names.add(name);
        ContainerCgroup cgroup = driver.create(name, Resources.none());
        member = new ProcessBuilder("sleep", "1000").start();
        cgroup.add(Math.toIntExact(member.pid()));

        AbandonedCgroups.remove(driver);

        assertThat(existing(name)).containsExactlyElementsOf(cgroup.directories());
        member.destroyForcibly();
        member.waitFor();
        AbandonedCgroups.remove(driver);
        assertThat(existing(name)).isEmpty();
    }

    @Test
    void namesThatRecordNoOwnerAreNotTouched() {
        String unowned = "jrun-" + randomHex();
        names.add(unowned);
        driver.directories(unowned).forEach(KernelFiles::mkdir);

        AbandonedCgroups.remove(driver);

        assertThat(existing(unowned)).containsExactlyElementsOf(driver.directories(unowned));
    }
}
