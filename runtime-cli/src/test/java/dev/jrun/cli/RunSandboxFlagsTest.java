package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jrun run}'s protections of the host and the flags that lift them, on real containers:
 * {@code --host-root} (no user namespace), {@code --share-run} (the host's /run) and {@code --unmask}.
 */
class RunSandboxFlagsTest {

    private final JrunCli jrun = JrunCli.asThisUser();
    private Path inRun;

    @BeforeAll
    static void needsRoot() {
        HostSystem.assumeRoot("the sandbox's user namespace is root's default; the containers are real");
    }

    @BeforeEach
    void createAFileInRun() throws IOException {
        inRun = Files.createFile(Path.of("/run", "jrun-test-" + UUID.randomUUID()));
    }

    @AfterEach
    void removeIt() throws IOException {
        Files.deleteIfExists(inRun);
    }

    @Test
    void theSandboxsRootIsAnUnprivilegedHostUserUnlessHostRoot() {
        List<String> remapped = uidMap(jrun.run("run", "--", "cat", "/proc/self/uid_map"));
        List<String> hostRoot = uidMap(jrun.run("run", "--host-root", "--", "cat", "/proc/self/uid_map"));

        assertThat(remapped).hasSize(3).first().isEqualTo("0");
        assertThat(Long.parseLong(remapped.get(1))).isGreaterThanOrEqualTo(65_536);
        assertThat(hostRoot).containsExactly("0", "0", "4294967295");
    }

    @Test
    void theHostsRunIsHiddenUnlessShared() {
        String script = "test -e " + inRun + " && echo seen || echo hidden";

        assertThat(jrun.run("run", "--", "sh", "-c", script).stdout()).isEqualTo("hidden\n");
        assertThat(jrun.run("run", "--share-run", "--", "sh", "-c", script).stdout()).isEqualTo("seen\n");
    }

    @Test
    void unmaskLiftsOnePathOrAllOfThem() {
        String script = "grep -c -E ' /proc/(sys|keys) ' /proc/self/mountinfo; true";

        assertThat(jrun.run("run", "--", "sh", "-c", script).stdout()).isEqualTo("2\n");
        assertThat(jrun.run("run", "--unmask", "/proc/sys", "--", "sh", "-c", script).stdout()).isEqualTo("1\n");
        assertThat(jrun.run("run", "--unmask", "ALL", "--", "sh", "-c", script).stdout()).isEqualTo("0\n");
    }

    @Test
    void flagsThatCannotApplyAreRefused(@TempDir Path rootfs) {
        assertRefused("jrun: /proc/nope is neither masked nor read-only; masked: [/proc/acpi,",
                "run", "--unmask", "/proc/nope", "--", "true");
        assertRefused("jrun: only the host sandbox has the host's /run to show",
                "run", "--share-run", "--rootfs", rootfs.toString(), "--", "true");
        assertRefused("jrun: running as the host's root excludes a user namespace and ID mappings",
                "run", "--host-root", "--userns", "--", "true");
    }

    private void assertRefused(String message, String... args) {
        JrunCli.Result result = jrun.run(args);
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(FailureExit.ENGINE.code());
        assertThat(result.stderr()).startsWith(message);
    }

    private static List<String> uidMap(JrunCli.Result result) {
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return Arrays.asList(result.stdout().trim().split("\\s+"));
    }
}
