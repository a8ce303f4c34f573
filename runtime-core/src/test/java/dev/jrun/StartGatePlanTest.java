package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.Step;
import dev.jrun.model.Rlimit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch plan of a container that waits for start and inherits descriptors: the protocol's
 * descriptors move up past the inherited ones, and the container reopens the exec FIFO through
 * /proc at the very end. None of it depends on whether jrun runs as root.
 */
@Tag("plan")
class StartGatePlanTest {

    private static List<String> plan(Container.Builder container, HostFacts host) {
        return Plans.of(container, host).steps().stream().map(s -> s.render() + s.renderConditions()).toList();
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void inheritedDescriptorsComeFirstAndTheProtocolsFollow(HostFacts host) {
        List<String> plan = plan(Container.builder().command("true").preservedFds(2), host);

        // 3 and 4 are inherited; sync 5, error 6, pid 7; 8 is the FIFO's slot, closed without a start gate.
        assertThat(plan.getFirst()).isEqualTo("close_range(8, ~0U, 0)");
        assertThat(plan).contains("read(5, buf, 1) > 0 ? goto 4", "close(7)", "fcntl(6, F_SETFD, FD_CLOEXEC)");
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void aContainerWithAStartGateWaitsOnTheFifoJustBeforeExecve(HostFacts host) {
        List<Step> steps = Plans.of(Container.builder().command("/bin/true").startGate(Path.of("/run/x/exec.fifo")), host)
                .steps();
        List<String> plan = steps.stream().map(Step::render).toList();
        int open = plan.indexOf("openat(AT_FDCWD, \"/proc/self/fd/6\", O_WRONLY|O_CLOEXEC, 0)");

        assertThat(plan.getFirst()).isEqualTo("close_range(7, ~0U, 0)");
        // The PID pipe stays open until the container reports it reached the gate.
        assertThat(plan.indexOf("close(5)")).isGreaterThan(plan.indexOf("write(5, \"\\1\", 1)"));
        assertThat(plan).containsSubsequence(
                "openat(AT_FDCWD, \"/proc/self/fd/6\", O_PATH|O_CLOEXEC, 0)",
                "write(5, \"\\1\", 1)",
                "close(5)",
                "openat(AT_FDCWD, \"/proc/self/fd/6\", O_WRONLY|O_CLOEXEC, 0)",
                "close(6)",
                "dup3($" + open + ", 4, O_CLOEXEC)",
                "execve(\"/bin/true\", [\"/bin/true\"], [\"PATH=" + Container.DEFAULT_PATH + "\", \"HOME=/root\"])");
        assertThat(steps.get(open).description()).isEqualTo("wait for start: open the exec FIFO for writing");
    }

    /** So that a limit the kernel refuses fails create, named, and not start as if execve had failed. */
    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void theRlimitsAreSetBeforeTheContainerReportsItIsCreated(HostFacts host) {
        List<String> plan = Plans.of(Container.builder().command("/bin/true").startGate(Path.of("/run/x/exec.fifo"))
                .rlimit(new Rlimit(Rlimit.Type.NOFILE, 3000, 4000)), host).steps().stream().map(Step::render).toList();

        assertThat(plan).containsSubsequence(
                "prlimit64(0, RLIMIT_NOFILE, {rlim_cur=3000, rlim_max=4000}, NULL)",
                "write(5, \"\\1\", 1)",
                "openat(AT_FDCWD, \"/proc/self/fd/6\", O_WRONLY|O_CLOEXEC, 0)");
    }

    @ParameterizedTest
    @MethodSource("dev.jrun.testing.FakeHosts#rootAndUnprivileged")
    void aTerminalIsOpenedInTheContainersOwnDevPtsAndHandedToTheRuntimeBeforeTheGate(HostFacts host) {
        List<String> plan = plan(Container.builder().command("/bin/sh").terminal(true)
                .startGate(Path.of("/run/x/exec.fifo")), host);
        int open = plan.indexOf("openat(AT_FDCWD, \"/dev/ptmx\", O_RDWR|O_NOCTTY|O_CLOEXEC, 0)");
        int slave = plan.indexOf("ioctl($" + open + ", TIOCGPTPEER, O_RDWR|O_NOCTTY)");

        assertThat(open).isPositive();
        assertThat(plan).containsSubsequence(
                "chdir(\"/\")",
                "ioctl($" + open + ", TIOCSPTLCK, {0})",
                "setsid()",
                "ioctl($" + slave + ", TIOCSCTTY, 0)",
                "dup3($" + slave + ", 0, 0)",
                "mount(\"/proc/self/fd/0\", \"/dev/console\", NULL, MS_BIND, NULL)",
                "dup3($" + open + ", 7, O_CLOEXEC) (tolerates EINVAL)",
                "write(5, \"\\2\", 1)",
                "read(3, buf, 1) > 0 ? goto " + (plan.indexOf("close(7)")),
                "close(7)",
                "close(3)",
                "write(5, \"\\1\", 1)");
    }
}
