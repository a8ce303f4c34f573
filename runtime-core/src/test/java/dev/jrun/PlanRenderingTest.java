package dev.jrun;

import dev.jrun.launch.LaunchPlan;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LaunchPlan#toString()}: one strace-like line a step, with what it does. */
@Tag("plan")
class PlanRenderingTest {

    private final LaunchPlan plan = Plans.asRoot(Container.builder().command("true").hostname("box"));
    private final String text = plan.toString();

    @Test
    void printsOneLinePerStepBeforeTheFilterListing() {
        assertThat(text.lines().takeWhile(line -> !line.isBlank())).hasSize(plan.steps().size());
    }

    @Test
    void showsCallsTheWayStraceDoes() {
        assertThat(text)
                .contains("close_range(6, ~0U, 0)")
                .contains("sethostname(\"box\", 3)")
                .contains("mount(\"proc\", \"/staging\", \"proc\", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL)")
                .containsPattern("openat2\\(\\$\\d+, \"/proc\", \\{flags=O_PATH\\|O_DIRECTORY\\|O_CLOEXEC,"
                        + " resolve=RESOLVE_IN_ROOT\\|RESOLVE_NO_MAGICLINKS}, 24\\)")
                .contains("execve(\"/bin/true\", [\"true\"], [\"")
                .contains("\"PATH=" + Container.DEFAULT_PATH + "\"", "\"HOME=/root\"")
                .contains("exit_group(0)");
    }

    /** strace prints file modes in octal: {@code mkdirat(AT_FDCWD, "/tmp/newroot", 0700)}, not 448. */
    @Test
    void showsFileModesInOctal() {
        assertThat(text).contains("mkdirat(AT_FDCWD, \"/tmp/newroot\", 0700)");
    }

    @Test
    void namesFlagsSymbolically() {
        assertThat(text.lines().filter(line -> line.contains("clone(")).findFirst().orElseThrow())
                .contains("CLONE_PARENT|", "CLONE_NEWPID", "CLONE_NEWNS", "CLONE_NEWUTS", "CLONE_NEWIPC",
                        "CLONE_NEWNET", "|SIGCHLD");
    }

    @Test
    void numbersEachLineAndEndsItWithTheStepsDescription() {
        assertThat(text.lines().toList().get(1)).startsWith("  1  clone(")
                .endsWith("# create the container's first process");
        assertThat(text).containsPattern("mount\\(\"proc\", .*# mount proc on /proc\\R");
    }

    @Test
    void marksJumpsAndStepsThatMayFail() {
        int report = plan.steps().size() - 2;

        assertThat(text).contains("> 0 ? goto " + report + " ")
                .contains("execve(\"/usr/local/sbin/true\"")
                .containsPattern("execve\\(\"/usr/local/sbin/true\".*\\(may fail\\)");
        assertThat(text.lines().filter(line -> line.contains("execve(\"/bin/true\"")).findFirst().orElseThrow())
                .doesNotContain("(may fail)");
    }

    @Test
    void referencesEarlierResultsByStepNumber() {
        int clone = plan.steps().indexOf(plan.steps().stream()
                .filter(step -> step.call().name().equals("clone")).findFirst().orElseThrow());

        assertThat(text).contains("write(5, &$" + clone + ", 8)");
    }
}
