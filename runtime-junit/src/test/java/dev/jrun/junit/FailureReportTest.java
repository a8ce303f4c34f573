package dev.jrun.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** A failed test's report carries the output of the containers it used; a passed one needs none. */
@ExtendWith(RequiresRoot.class)
class FailureReportTest {

    @Test
    void aFailedTestReportsItsContainersOutput() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(FailingExample.class)).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();

        LauncherFactory.create().execute(request, listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getFailures()).hasSize(1);
        Throwable failure = summary.getFailures().getFirst().getException();
        assertThat(failure).hasMessage("the server said something else");
        List<String> attached = Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage).toList();
        assertThat(attached).hasSize(2);
        assertThat(attached).anySatisfy(report -> assertThat(report)
                .startsWith("container output\n--- stdout of sandbox [sh, -c, echo shared says hi; exec sleep 600]")
                .contains("shared says hi\n"));
        assertThat(attached).anySatisfy(report -> assertThat(report)
                .contains("own says hi\n", "own complains\n"));
    }

    /** Run only through the launcher above (surefire leaves nested classes alone). */
    @Sandboxes
    static class FailingExample {

        @Sandbox
        static final SandboxContainer SHARED = SandboxContainer.command("sh", "-c", "echo shared says hi; exec sleep 600")
                .waitingFor(Wait.forLogLine("hi"));

        @Sandbox
        final SandboxContainer own = SandboxContainer.command("sh", "-c", "echo own says hi; echo own complains >&2; exec sleep 600")
                .waitingFor(Wait.forLogLine("complains"));

        @Test
        void passes() {
            assertThat(own.stdout()).isEqualTo("own says hi\n");
        }

        @Test
        void fails() {
            fail("the server said something else");
        }
    }
}
