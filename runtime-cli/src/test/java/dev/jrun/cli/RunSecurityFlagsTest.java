package dev.jrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code jrun run}'s resource and security flags, as they show in {@code --dry-run} and in their errors. */
class RunSecurityFlagsTest {

    /** What one jrun invocation printed and its exit code. */
    record Outcome(int code, String stdout, String stderr) {
    }

    static Outcome jrun(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            int code = Main.commandLine(args).execute(args);
            return new Outcome(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theDefaultsAreDockersCapabilitiesAndJrunsSeccompProfile() {
        Outcome run = jrun("run", "--dry-run", "--", "/bin/true");
        assertThat(run.code()).isZero();
        assertThat(run.stdout()).contains("seccomp(SECCOMP_SET_MODE_FILTER, 0, {len=", "prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN",
                "BPF program of step", "return ERRNO(EPERM)", "Cgroup, created at the gate with these limits: Resources[devices=");
    }

    @Test
    void capabilitiesAreDroppedBeforeTheyAreAdded() {
        String plan = jrun("run", "--dry-run", "--cap-drop", "ALL", "--cap-add", "net_bind_service", "--", "/bin/true").stdout();
        assertThat(plan).contains("prctl(PR_CAPBSET_DROP, CAP_CHOWN, 0, 0, 0)",
                "{effective=CAP_NET_BIND_SERVICE, permitted=CAP_NET_BIND_SERVICE, inheritable=0}");
    }

    @Test
    void unconfinedLoadsNoFilter() {
        assertThat(jrun("run", "--dry-run", "--seccomp", "unconfined", "--", "/bin/true").stdout())
                .doesNotContain("seccomp(").doesNotContain("BPF program");
    }

    @Test
    void aProfileFileIsCompiledAndListed(@TempDir Path dir) throws IOException {
        Path profile = dir.resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"],
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
                              {"names": ["personality"], "action": "SCMP_ACT_KILL",
                               "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]}]}""");
        String plan = jrun("run", "--dry-run", "--seccomp", profile.toString(), "--", "/bin/true").stdout();
        assertThat(plan).contains("if (A > mkdir)", "return ERRNO(EACCES)", "A = args[0] >> 32", "if (A != 0xffffffff)",
                "return KILL_THREAD");
    }

    @Test
    void dockersOwnProfileFieldsAreRefusedNotIgnored(@TempDir Path dir) throws IOException {
        Path profile = dir.resolve("docker.json");
        Files.writeString(profile, """
                {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_ALLOW",
                  "includes": {"caps": ["CAP_SYS_ADMIN"]}}]}""");
        Outcome run = jrun("run", "--dry-run", "--seccomp", profile.toString(), "--", "/bin/true");
        assertThat(run.code()).isEqualTo(FailureExit.ENGINE.code());
        assertThat(run.stderr()).isEqualTo("jrun: seccomp profile " + profile + ": unknown field \"includes\" in a syscalls"
                + " entry (jrun reads the OCI linux.seccomp format; archMap, includes and excludes are Docker's own)\n");
    }

    @Test
    void userAndUserNamespaceFlagsShowInThePlan(@TempDir Path rootfs) {
        assumeTrue(isRoot(), "needs root: as any other user jrun plans a rootless launch, where uid 1000 is not mapped");
        assertThat(jrun("run", "--dry-run", "--user", "1000:1000", "--group-add", "27", "--", "/bin/true").stdout())
                .contains("setgroups(1, [27])", "setresgid(1000, 1000, 1000)", "setresuid(1000, 1000, 1000)",
                        "prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)");
        // Root's host sandbox has a user namespace by default; an image's root has one when asked.
        assertThat(jrun("run", "--dry-run", "--", "/bin/true").stdout()).contains("CLONE_NEWUSER", "setresuid(0, 0, 0)");
        assertThat(jrun("run", "--dry-run", "--host-root", "--", "/bin/true").stdout()).doesNotContain("CLONE_NEWUSER");
        assertThat(jrun("run", "--dry-run", "--rootfs", rootfs.toString(), "--", "/bin/true").stdout())
                .doesNotContain("CLONE_NEWUSER");
        assertThat(jrun("run", "--dry-run", "--rootfs", rootfs.toString(), "--userns", "--", "/bin/true").stdout())
                .contains("CLONE_NEWUSER", "setresuid(0, 0, 0)");
        assertThat(jrun("run", "--dry-run", "--no-new-privileges", "--ulimit", "nofile=1024:2048", "--oom-score-adj", "300",
                "--", "/bin/true").stdout())
                .contains("prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)", "prlimit64(0, RLIMIT_NOFILE, {rlim_cur=1024, rlim_max=2048}, NULL)",
                        "write($", "\"300\", 3)");
    }

    @Test
    void resourceFlagsBecomeTheCgroupsLimits() {
        assertThat(jrun("run", "--dry-run", "-m", "32m", "--cpus", "0.5", "--pids-limit", "32", "--", "/bin/true").stdout())
                .contains("Resources[memory=33554432, cpuQuota=50000, cpuPeriod=100000, pids=32, devices=");
    }

    @Test
    void badInputIsRefusedWithAPreciseMessage() {
        Outcome capability = jrun("run", "--dry-run", "--cap-add", "FLY", "--", "/bin/true");
        assertThat(capability.code()).isEqualTo(FailureExit.ENGINE.code());
        assertThat(capability.stderr()).startsWith("jrun: unknown capability \"FLY\": known are CAP_CHOWN,");
        assertThat(jrun("run", "--dry-run", "--cpus", "0.001", "--", "/bin/true").stderr())
                .isEqualTo("jrun: cpu quota 100µs is below the kernel's minimum of 1000µs (1 ms)\n");
        Outcome size = jrun("run", "--dry-run", "--memory", "12q", "--", "/bin/true");
        assertThat(size.code()).isEqualTo(2);
        assertThat(size.stderr()).contains("invalid size \"12q\"");
        assertThat(jrun("run", "--dry-run", "--user", "root", "--", "/bin/true").stderr())
                .startsWith("jrun: invalid user \"root\": \"root\" is not a number");
    }
}
