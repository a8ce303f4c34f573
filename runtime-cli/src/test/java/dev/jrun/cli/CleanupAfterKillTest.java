package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The attack of issue 9: jrun killed with SIGKILL, which it cannot handle, at each step of an OCI
 * create and while an ad-hoc {@code jrun run} runs. Afterwards nothing may be left: no state
 * directory (after {@code delete --force}), no cgroup in any hierarchy, no process. Each jrun under
 * test runs in a scratch cgroup, so what it left is told apart from other containers of the host.
 */
class CleanupAfterKillTest {

    /** Bounds each wait; a kill is handled in milliseconds. */
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path work;

    private Path root;
    private Path sync;
    private OciCli jrun;
    private ScratchCgroups cgroups;
    private Set<Long> childrenBefore;
    private final List<Process> started = new ArrayList<>();
    private Orphans orphans;

    @BeforeAll
    static void becomeSubreaper() {
        if (BusyboxBundle.isRoot()) {
            Subreaper.become();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        BusyboxBundle.assumeRootAndBusybox();
        jrun = OciCli.in(work);
        root = jrun.root();
        sync = Files.createDirectories(work.resolve("sync"));
        cgroups = ScratchCgroups.create("victim");
        childrenBefore = Orphans.children();
    }

    /** After a failure too: no jrun, hook, container or cgroup of the test's is left. */
    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        if (cgroups == null) {
            return;
        }
        for (Process process : started) {
            process.destroyForcibly();
            process.waitFor();
        }
        if (orphans == null) {
            orphans = Orphans.reapAllBut(childrenBefore);
        }
        if (!Files.exists(sync.resolve("release"))) {
            Files.createFile(sync.resolve("release"));
        }
        try {
            if (Files.exists(root.resolve("victim"))) {
                jrun.run("delete", "--force", "victim");
            }
            orphans.assertAllEndWithin(LIMIT);
        } finally {
            cgroups.close();
        }
    }

    /** {@return a script that says it got there, then waits until the test releases it} */
    private String reachAndWait(Path directory, String step) {
        return "touch " + directory.resolve(step) + "; while [ ! -e " + directory.resolve("release") + " ]; do sleep 1; done";
    }

    /** {@return jrun create (or run -b) of {@code bundle} as container "victim", started in the scratch cgroup} */
    private Process startInScratchCgroup(String operation, Path bundle) {
        List<String> command = new ArrayList<>(cgroups.prefix());
        command.addAll(jrun.command(operation, "-b", bundle.toString(), "victim"));
        Process process = jrun.startInBackground(command);
        started.add(process);
        return process;
    }

    /** The attack: SIGKILL, once the step was reached. What jrun started is the test JVM's to reap then. */
    private void killWhenReached(Process jrunProcess, Path reached) throws InterruptedException {
        awaitOrFail(() -> Files.exists(reached) || !jrunProcess.isAlive(), "jrun reached " + reached.getFileName());
        assertThat(jrunProcess.isAlive()).as("jrun still runs at " + reached.getFileName()).isTrue();
        jrunProcess.destroyForcibly();
        jrunProcess.waitFor();
        orphans = Orphans.reapAllBut(childrenBefore);
    }

    private void assertDeleteForceLeavesNothing() throws IOException {
        assertDeleteLeavesNothing("delete", "--force", "victim");
    }

    private void assertDeleteLeavesNothing(String... delete) throws IOException {
        assertThat(cgroups.leftBehind()).as("the killed jrun had created the container's cgroup").isNotEmpty();
        Files.createFile(sync.resolve("release"));

        OciCli.Result deleted = jrun.run(delete);

        assertThat(deleted.exitCode()).as(deleted.stderr()).isZero();
        assertThat(root.resolve("victim")).doesNotExist();
        assertThat(cgroups.leftBehind()).as("cgroups left behind").isEmpty();
        orphans.assertAllEndWithin(LIMIT);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"prestart", "createRuntime", "createContainer"})
    void deleteForceCleansUpAfterCreateWasKilledDuringAHook(String hook) throws IOException, InterruptedException {
        // Each of these hooks runs with the host's filesystem, so it sees the sync directory.
        Path bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000")
                .hook(hook, "/bin/sh", "sh", "-c", reachAndWait(sync, hook)).write();

        killWhenReached(startInScratchCgroup("create", bundle), sync.resolve(hook));

        assertDeleteForceLeavesNothing();
    }

    @Test
    void aPlainDeleteCleansUpAfterCreateWasKilledBeforeTheContainerWasReleased()
            throws IOException, InterruptedException {
        Path bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000")
                .hook("createRuntime", "/bin/sh", "sh", "-c", reachAndWait(sync, "createRuntime")).write();

        killWhenReached(startInScratchCgroup("create", bundle), sync.resolve("createRuntime"));

        // Its first process waited at the gate, which ended it when jrun died: it is stopped.
        assertDeleteLeavesNothing("delete", "victim");
    }

    /**
     * Killed during any hook, create leaves a first process that waited at a gate and ended with
     * jrun; only between the launch and the record (no hook runs there, too short a window to hit)
     * does it leave one that waits for start. The record is taken away to leave just that.
     */
    @Test
    void aPlainDeleteRefusesWhileTheFirstProcessOfAnInterruptedCreateRuns() throws IOException, InterruptedException {
        Path bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000").write();
        Process create = startInScratchCgroup("create", bundle);
        assertThat(create.waitFor()).isZero();
        orphans = Orphans.reapAllBut(childrenBefore);
        Files.delete(root.resolve("victim/state.json"));

        assertThat(jrun.state("victim").get("status").asText()).isEqualTo("creating");
        jrun.assertRefused("delete", "victim").isEqualTo("jrun: cannot delete container \"victim\": its creation was"
                + " interrupted, and its first process still runs; use --force\n");
        assertDeleteForceLeavesNothing();
    }

    @Test
    void deleteForceCleansUpAfterRunWasKilledOnceTheContainerWasCreated() throws IOException, InterruptedException {
        // startContainer runs in the container, after create: it sees the sync directory bound at /sync.
        Path bundle = BusyboxBundle.create(work.resolve("bundle"), "sleep", "1000").bind(sync, "/sync")
                .hook("startContainer", "/bin/sh", "sh", "-c", reachAndWait(Path.of("/sync"), "startContainer"))
                .write();
        Process run = startInScratchCgroup("run", bundle);
        awaitOrFail(() -> Files.exists(sync.resolve("startContainer")) || !run.isAlive(), "the startContainer hook runs");
        assertThat(jrun.state("victim").get("status").asText()).isEqualTo("created");

        killWhenReached(run, sync.resolve("startContainer"));

        assertDeleteForceLeavesNothing();
    }

    @Test
    void aKilledAdHocRunTakesItsContainerAlongAndTheNextRunRemovesItsCgroup() throws IOException, InterruptedException {
        JrunCli adHoc = new JrunCli(cgroups.prefix(), System.getProperty("java.class.path"));
        Process run = adHoc.start("run", "--", "sleep", "2718281");
        started.add(run);
        long container = awaitContainer(run, "sleep 2718281");
        List<Path> containerCgroups = cgroups.leftBehind();
        assertThat(containerCgroups).as("the container's cgroup").isNotEmpty();

        killWhenReached(run, Path.of("/proc", Long.toString(container)));

        assertThat(orphans.pids()).contains(container);
        orphans.assertAllEndWithin(LIMIT);
        assertThat(cgroups.leftBehind()).as("a jrun killed with SIGKILL cannot remove its container's cgroup")
                .containsExactlyElementsOf(containerCgroups);
        JrunCli.Result next = adHoc.run("run", "--", "true");
        assertThat(next.exitCode()).as(next.stderr()).isZero();
        assertThat(cgroups.leftBehind()).as("cgroups left behind after the next run").isEmpty();
    }

    @Test
    void aKilledRunWithAPrivateNetworkTakesItsSlirp4netnsAlong() throws InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/slirp4netns")),
                "needs /usr/bin/slirp4netns for the private network: install Debian's package slirp4netns");
        JrunCli adHoc = new JrunCli(cgroups.prefix(), System.getProperty("java.class.path"));
        Process run = adHoc.start("run", "-p", "127.0.0.1::80", "--", "sleep", "3141592");
        started.add(run);
        awaitChild(run, "sleep 3141592"::equals, "jrun's container runs");
        long helper = awaitChild(run, line -> line.startsWith("slirp4netns "), "jrun's slirp4netns runs");

        killWhenReached(run, Path.of("/proc", Long.toString(helper)));

        assertThat(orphans.pids()).as("slirp4netns, orphaned").contains(helper);
        orphans.assertAllEndWithin(LIMIT);
    }

    /** {@return the PID of the container, a child of the jrun process, once it runs the command line given} */
    private static long awaitContainer(Process jrunProcess, String commandLine) {
        return awaitChild(jrunProcess, commandLine::equals, "jrun's container runs " + commandLine);
    }

    /** {@return the PID of a child of the jrun process, once one's command line matches} */
    private static long awaitChild(Process jrunProcess, Predicate<String> commandLine, String what) {
        return awaitPresent(() -> {
            assertThat(jrunProcess.isAlive()).as("jrun runs until its container does").isTrue();
            return Orphans.childrenOf(jrunProcess.pid()).stream()
                    .filter(pid -> commandLine.test(Orphans.commandLine(pid))).findFirst();
        }, what);
    }

    private static void awaitOrFail(BooleanSupplier condition, String what) {
        awaitPresent(() -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty(), what);
    }

    private static <T> T awaitPresent(Supplier<Optional<T>> value, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        for (Optional<T> current = value.get(); ; current = value.get()) {
            if (current.isPresent()) {
                return current.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up after " + LIMIT.toSeconds() + " s waiting until " + what);
            }
            Orphans.pause();
        }
    }
}
