package example;

import dev.jrun.Container;
import dev.jrun.junit.Sandbox;
import dev.jrun.junit.SandboxContainer;
import dev.jrun.junit.Sandboxes;
import dev.jrun.junit.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sixteen tests under JUnit's parallel mode (junit-platform.properties), each with a sandbox of its
 * own: its own PID namespace (its shell is PID 1), hostname and host process. Each test waits until
 * another test's sandbox runs beside its own, which shows sandboxes run side by side. It does not
 * wait for all sixteen at once: JUnit's ForkJoinPool may hold some tests back while others block,
 * so how many run together is JUnit's choice, not the sandboxes'.
 */
@Sandboxes
class ParallelSandboxesTest {

    private static final int SANDBOXES = 16;
    private static final CountDownLatch TWO_RUNNING = new CountDownLatch(2);
    private static final Set<Integer> PIDS = ConcurrentHashMap.newKeySet();

    @Sandbox
    final SandboxContainer sandbox = SandboxContainer.of(Container.builder()
                    .command("sh", "-c", "echo \"$$ $(hostname)\"; exec sleep 600").hostname("parallel"))
            .waitingFor(Wait.forLogLine("parallel"));

    @RepeatedTest(SANDBOXES)
    void eachTestHasASandboxOfItsOwn() throws InterruptedException {
        assertEquals("1 parallel\n", sandbox.stdout());
        assertTrue(PIDS.add(sandbox.pid()), "a sandbox of its own");

        TWO_RUNNING.countDown();
        assertTrue(TWO_RUNNING.await(2, TimeUnit.MINUTES), "another sandbox ran beside this one");
        assertTrue(sandbox.process().isAlive(), "this sandbox still runs");
    }

    @AfterAll
    static void sixteenSandboxesRan() {
        assertEquals(SANDBOXES, PIDS.size());
    }
}
