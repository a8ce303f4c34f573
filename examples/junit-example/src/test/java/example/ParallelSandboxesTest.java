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
 * Sixteen tests run at once under JUnit's parallel mode (junit-platform.properties), each with a
 * sandbox of its own: its own PID namespace (its shell is PID 1) and hostname. Each test waits
 * until all sixteen sandboxes run, which shows they run side by side.
 */
@Sandboxes
class ParallelSandboxesTest {

    private static final int SANDBOXES = 16;
    private static final CountDownLatch ALL_RUNNING = new CountDownLatch(SANDBOXES);
    private static final Set<Integer> PIDS = ConcurrentHashMap.newKeySet();

    @Sandbox
    final SandboxContainer sandbox = SandboxContainer.of(Container.builder()
                    .command("sh", "-c", "echo \"$$ $(hostname)\"; exec sleep 600").hostname("parallel"))
            .waitingFor(Wait.forLogLine("parallel"));

    @RepeatedTest(SANDBOXES)
    void eachTestHasASandboxOfItsOwn() throws InterruptedException {
        assertEquals("1 parallel\n", sandbox.stdout());
        assertTrue(PIDS.add(sandbox.pid()), "a sandbox of its own");

        ALL_RUNNING.countDown();
        assertTrue(ALL_RUNNING.await(2, TimeUnit.MINUTES), "all " + SANDBOXES + " sandboxes ran at once");
        assertTrue(sandbox.process().isAlive());
    }

    @AfterAll
    static void sixteenSandboxesRan() {
        assertEquals(SANDBOXES, PIDS.size());
    }
}
