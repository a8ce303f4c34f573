package dev.jrun;

import dev.jrun.bindings.I386Syscalls;
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
import java.util.List;

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
        Path mkdir = write(dir, path -> SyscallProgram.writeI386(path, I386Syscalls.__NR_mkdir()));
        assumeI386Emulation(mkdir);
        assertThat(run(program(mkdir)).status()).isEqualTo(ExitStatus.killed(Libc.SIGSYS()));
    }

    @Test
    void anI386CallIsFilteredByItsOwnNumberWhenTheProfileListsX86(@TempDir Path dir) throws IOException {
        Path mkdir = write(dir, path -> SyscallProgram.writeI386(path, I386Syscalls.__NR_mkdir()));
        assumeI386Emulation(mkdir);
        SeccompProfile noMkdir = SeccompProfile.defaultAction(Action.ALLOW)
                .withArchitectures(List.of("SCMP_ARCH_X86"))
                .withRule(Rule.of(Action.ERRNO, "mkdir").withErrnoRet(Libc.ENOANO()));
        assertThat(run(program(mkdir).seccomp(noMkdir)).status()).isEqualTo(ExitStatus.exited(Libc.ENOANO()));
    }

    @Test
    void aCallAboveTheHighestTheProfileNamesFailsWithEnosysAndOneBelowWithTheDefault(@TempDir Path dir) throws IOException {
        SeccompProfile allowList = SeccompProfile.defaultAction(Action.ERRNO)
                .withRule(Rule.of(Action.ALLOW, "execve", "exit_group"));
        int beyondEveryCall = 1000;
        assertThat(beyondEveryCall).isGreaterThan(Libc.SYS_exit_group());
        Path newCall = write(dir, path -> SyscallProgram.writeNative(path, beyondEveryCall));
        assertThat(run(program(newCall).noNewPrivileges(true).seccomp(allowList)).status())
                .isEqualTo(ExitStatus.exited(Libc.ENOSYS()));
        Path mkdir = write(dir, path -> SyscallProgram.writeNative(path, Libc.SYS_mkdir()));
        assertThat(run(program(mkdir).noNewPrivileges(true).seccomp(allowList)).status())
                .isEqualTo(ExitStatus.exited(Libc.EPERM()));
        assertThat(run(program(mkdir).seccompUnconfined()).status()).as("mkdir(NULL) unfiltered")
                .isEqualTo(ExitStatus.exited(Libc.EFAULT()));
    }

    /** {@return a program {@code writer} wrote into {@code dir}} */
    private static Path write(Path dir, ProgramWriter writer) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.createTempFile(dir, "syscall", "");
        writer.write(file);
        return file;
    }

    @FunctionalInterface
    private interface ProgramWriter {
        void write(Path file) throws IOException;
    }

    /** {@return a container running {@code file} from a read-only bind of its directory at /mnt} */
    private static Container.Builder program(Path file) {
        return Container.builder().command("/mnt/" + file.getFileName())
                .filesystem(FilesystemSetup.hostSandbox().withBind(file.getParent(), "/mnt", FilesystemSetup.Access.READ_ONLY));
    }

    /** Skips a test on a kernel without i386 emulation; {@code mkdir}'s mkdir(NULL) fails with EFAULT unfiltered. */
    private static void assumeI386Emulation(Path mkdir) {
        ExitStatus unconfined = run(program(mkdir).seccompUnconfined()).status();
        assumeTrue(!unconfined.equals(ExitStatus.killed(Libc.SIGSEGV())),
                "this kernel has no i386 emulation (int 0x80 raises SIGSEGV), so there is no i386 ABI to filter");
        assertThat(unconfined).isEqualTo(ExitStatus.exited(Libc.EFAULT()));
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
