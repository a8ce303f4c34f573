package dev.jrun;

import dev.jrun.bindings.Libc;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.SeccompProfile.Action;
import dev.jrun.model.SeccompProfile.Rule;
import dev.jrun.model.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static dev.jrun.Runs.assumeRoot;
import static dev.jrun.Runs.run;
import static dev.jrun.Runs.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Seccomp filters compiled by jrun, loaded by the kernel into real containers. */
class SeccompTest {

    @BeforeEach
    void needsRoot() {
        assumeRoot("starting containers");
    }

    @Test
    void theDefaultProfileDeniesUnshareWithEpermAndUnconfinedLiftsIt() {
        Runs.Result confined = run(Container.builder().command("unshare", "--user", "true"));
        assertThat(confined.status().code()).isEqualTo(1);
        assertThat(confined.stderr()).contains("Operation not permitted");
        assertThat(run(Container.builder().command("unshare", "--user", "true").seccompUnconfined()).status().code()).isZero();
    }

    @Test
    void aCallTheProfileDeniesFailsWithTheErrnoItNames() {
        SeccompProfile noMkdir = SeccompProfile.defaultAction(Action.ALLOW)
                .withRule(Rule.of(Action.ERRNO, "mkdir", "mkdirat").withErrnoRet(Libc.EPERM()));
        Runs.Result result = run(shell("mkdir /tmp/d; grep Seccomp: /proc/self/status").seccomp(noMkdir));
        assertThat(result.stderr()).contains("mkdir: ", "Operation not permitted");
        assertThat(result.stdout()).contains("Seccomp:\t2");
    }

    @Test
    void aCallThroughAnArchitectureTheFilterDoesNotExpectIsKilled(@TempDir Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Int80Program.write(dir.resolve("int80"));
        Container.Builder program = Container.builder().command("/mnt/int80")
                .filesystem(FilesystemSetup.hostSandbox().withBind(dir, "/mnt", FilesystemSetup.Access.READ_ONLY));
        ExitStatus unconfined = run(program.seccompUnconfined()).status();
        assumeTrue(!unconfined.equals(ExitStatus.killed(Libc.SIGSEGV())),
                "this kernel has no i386 emulation (int 0x80 raises SIGSEGV), so there is no i386 ABI to filter");
        assertThat(unconfined).isEqualTo(ExitStatus.exited(0));
        assertThat(run(program).status()).isEqualTo(ExitStatus.killed(Libc.SIGSYS()));
    }

    @Test
    void withNoNewPrivilegesTheFilterIsLoadedLastAndAnUnprivilegedUserStillStarts() {
        Runs.Result result = run(shell("id -u; grep -E 'NoNewPrivs|Seccomp:' /proc/self/status")
                .user(User.of(1000, 1000)).noNewPrivileges(true));
        assertThat(result.status().code()).isZero();
        assertThat(result.stdout()).isEqualTo("1000\nNoNewPrivs:\t1\nSeccomp:\t2\n");
    }

    @Test
    void aProfileThatWouldStopTheLaunchIsRefusedBeforeAnythingStarts() {
        SeccompProfile noExec = SeccompProfile.defaultAction(Action.ALLOW).withRule(Rule.of(Action.ERRNO, "execve"));
        assertThatThrownBy(() -> Container.builder().command("/bin/true").seccomp(noExec).build().plan())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the seccomp profile gives execve ERRNO(EPERM), so the command could never start");
        SeccompProfile noSetuid = SeccompProfile.defaultAction(Action.ALLOW).withRule(Rule.of(Action.KILL_PROCESS, "setresuid"));
        assertThatThrownBy(() -> Container.builder().command("/bin/true").seccomp(noSetuid).build().plan())
                .hasMessage("the seccomp profile gives setresuid KILL_PROCESS, and jrun needs it after loading the filter"
                        + " to switch to uid 0; allow it, or set noNewPrivileges so that the filter is loaded after it");
    }
}
