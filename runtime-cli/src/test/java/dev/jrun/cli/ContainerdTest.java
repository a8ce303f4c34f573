package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.cli.EngineCli.Result;
import dev.jrun.internal.sys.KernelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * containerd (Debian's 1.6, installed by .ci/run) drives jrun through its runc v2 shim, as
 * {@code ctr run --runc-binary ./jrun} does: {@code run --rm}, {@code run -d}, {@code task exec},
 * {@code pause}, {@code resume}, {@code kill} and {@code metrics}. The daemon is the test's own
 * ({@link PrivateContainerd}); the runtime is the launcher of the build under test
 * ({@link OciCli#launcherScript}); the image is a busybox docker-archive written by the test
 * ({@link BusyboxImageArchives}), imported into a namespace of the test's. jrun's state root
 * ({@code --runc-root}) and the tasks' IO FIFOs ({@code --fifo-dir}) are temporary directories.
 * After the class the containers, the image and the namespace are removed, the daemon is stopped
 * and the cgroup ctr's cgroup paths ({@code /NAMESPACE/ID}) sit in is removed.
 *
 * <p>The shim calls jrun as it calls runc: {@code --root DIR --log BUNDLE/log.json --log-format json}
 * and then {@code create --bundle DIR --pid-file FILE ID}, {@code start}, {@code exec --process FILE
 * --detach --pid-file FILE}, {@code pause}, {@code resume}, {@code kill ID SIGNAL}, {@code delete}
 * and, when its shim ends, {@code delete --force}. It reads the metrics from the task's cgroup itself.
 *
 * <p>Tagged {@code containerd}: {@code -Djrun.test.excludedGroups=containerd} leaves it out on a
 * machine without the time for it.
 */
@Tag("containerd")
class ContainerdTest {

    private static final String IMAGE = "docker.io/cli-test/busybox:docker";
    private static final long MEMORY_LIMIT = 64L * 1024 * 1024;
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    @TempDir
    static Path work;

    private static PrivateContainerd containerd;
    private static EngineCli ctr;
    private static String namespace;
    /** The options of {@code ctr run} that name jrun, its state root and the FIFOs' directory, all in {@link #work}. */
    private static List<String> runtime;
    private static Path fifos;

    @BeforeAll
    static void containerdWithJrun() throws IOException, InterruptedException {
        BusyboxBundle.assumeRootAndBusybox();
        PrivateContainerd.assumeInstalled();
        Path archives = Files.createDirectories(work.resolve("image"));
        BusyboxImageArchives.writeTo(archives, "{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]}");
        containerd = PrivateContainerd.start(Files.createDirectories(work.resolve("containerd")));
        namespace = "jrun-test-" + ProcessHandle.current().pid();
        ctr = containerd.ctr(namespace, Files.createDirectories(work.resolve("out")));
        fifos = Files.createDirectories(work.resolve("fifo"));
        runtime = List.of("--runc-binary", OciCli.launcherScript(work.resolve("jrun")).toString(),
                "--runc-root", work.resolve("runc").toString(), "--fifo-dir", fifos.toString());

        assertSucceeds(ctr.run("images", "import", archives.resolve("docker.tar").toString()));
    }

    @AfterAll
    static void removeEverything() throws InterruptedException {
        if (containerd == null) {
            return;
        }
        try {
            for (String id : ctr.run("containers", "list", "--quiet").output().lines().toList()) {
                ctr.run("tasks", "delete", "--force", id);
                ctr.run("containers", "delete", id);
            }
            assertSucceeds(ctr.run("images", "remove", "--sync", IMAGE));
            assertSucceeds(ctr.run("namespaces", "remove", namespace));
        } finally {
            containerd.close();
            namespaceCgroups().forEach(KernelFiles::rmdir);
        }
    }

    @Test
    void runRmGivesTheOutputAndTheExitCodeAndLeavesNoTrace() {
        Result run = ctr.run(run(List.of("--rm"), "exits", "sh", "-c", "echo hello from jrun; exit 3"));

        assertThat(run.output()).isEqualTo("hello from jrun\n");
        assertThat(run.exitCode()).isEqualTo(3);
        assertNoTraceOf("exits");
    }

    @Test
    void execRunsACommandInADetachedTask() {
        startDetached("target", List.of(), "sh", "-c", "exec sleep 1000");

        Result exec = ctr.run(exec("probe", "target", "sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline; echo; exit 4"));

        assertThat(exec.output()).as("the task's process is PID 1 of the exec's namespace").isEqualTo("sleep 1000 \n");
        assertThat(exec.exitCode()).isEqualTo(4);
        remove("target");
    }

    /** The task appends to a file of the test's every 10 ms: paused, it appends nothing. */
    @Test
    void aPausedTaskMakesNoProgressUntilResumed() throws IOException {
        Path shared = Files.createDirectories(work.resolve("ticks"));
        Path ticks = shared.resolve("ticks");
        startDetached("ticking", List.of("--mount", "type=bind,src=" + shared + ",dst=/out,options=rbind:rw"),
                "sh", "-c", "while :; do echo tick >> /out/ticks; sleep 0.01; done");
        awaitGrowth(ticks, 0);

        assertSucceeds(ctr.run("tasks", "pause", "ticking"));
        assertThat(status("ticking")).isEqualTo("PAUSED");
        long whilePaused = Files.size(ticks);
        Result refused = ctr.run(exec("refused", "ticking", "true"));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("paused");
        assertThat(Files.size(ticks)).as("ticks while paused").isEqualTo(whilePaused);

        assertSucceeds(ctr.run("tasks", "resume", "ticking"));
        assertThat(status("ticking")).isEqualTo("RUNNING");
        awaitGrowth(ticks, whilePaused);
        remove("ticking");
    }

    /** {@code ctr task kill} sends SIGTERM, which the task's shell traps: ctr run returns its exit code. */
    @Test
    void killSignalsTheTaskAndRunReturnsHowItEnded() throws InterruptedException {
        Path output = work.resolve("killed.out");
        Process running = ctr.start(output, run(List.of("--rm"), "killed", "sh", "-c",
                "trap 'echo terminated; exit 7' TERM; echo trapping; while :; do sleep 0.1; done"));
        await("the task traps SIGTERM", () -> {
            assertThat(running.isAlive()).as("ctr run is running: %s", read(output)).isTrue();
            return read(output).contains("trapping");
        });

        assertSucceeds(ctr.run("tasks", "kill", "killed"));

        assertThat(running.waitFor(120, TimeUnit.SECONDS)).as("ctr run ended").isTrue();
        assertThat(running.exitValue()).as(read(output)).isEqualTo(7);
        assertThat(read(output)).isEqualTo("trapping\nterminated\n");
        assertNoTraceOf("killed");
    }

    /** The metrics the shim reads from the task's cgroup: cgroup v1's or v2's, as the host has. */
    @Test
    void metricsGiveTheTasksCgroupStatisticsAndItsMemoryLimit() {
        startDetached("measured", List.of("--memory-limit", Long.toString(MEMORY_LIMIT)), "sh", "-c", "exec sleep 1000");

        Result metrics = ctr.run("tasks", "metrics", "--format", "json", "measured");

        assertSucceeds(metrics);
        JsonNode stats = OciCli.json(metrics.output());
        JsonNode memory = stats.get("memory");
        boolean v1 = memory.get("usage").isObject();
        assertThat(stats.at("/pids/current").asLong()).isEqualTo(1);
        assertThat(v1 ? memory.at("/usage/usage").asLong() : memory.get("usage").asLong()).isPositive();
        assertThat(v1 ? memory.at("/usage/limit").asLong() : memory.get("usage_limit").asLong()).isEqualTo(MEMORY_LIMIT);
        remove("measured");
    }

    /** {@return the arguments of {@code ctr run}: {@code options}, jrun's, the image, {@code id} and {@code command}} */
    private static String[] run(List<String> options, String id, String... command) {
        List<String> arguments = new ArrayList<>(List.of("run"));
        arguments.addAll(options);
        arguments.addAll(runtime);
        arguments.add(IMAGE);
        arguments.add(id);
        arguments.addAll(List.of(command));
        return arguments.toArray(String[]::new);
    }

    /** Starts {@code command} as a detached task, with ctr's {@code options}. */
    private static void startDetached(String id, List<String> options, String... command) {
        List<String> detached = new ArrayList<>(List.of("--detach"));
        detached.addAll(options);
        assertSucceeds(ctr.run(run(detached, id, command)));
        assertThat(status(id)).isEqualTo("RUNNING");
    }

    private static String[] exec(String execId, String id, String... command) {
        List<String> arguments = new ArrayList<>(List.of("tasks", "exec", "--fifo-dir", fifos.toString(),
                "--exec-id", execId, id));
        arguments.addAll(List.of(command));
        return arguments.toArray(String[]::new);
    }

    /** Kills a detached task with SIGKILL, waits until it is stopped, deletes it and its container. */
    private static void remove(String id) {
        assertSucceeds(ctr.run("tasks", "kill", "--signal", "SIGKILL", id));
        await(id + " stopped", () -> status(id).equals("STOPPED"));
        assertSucceeds(ctr.run("tasks", "delete", id));
        assertSucceeds(ctr.run("containers", "delete", id));
        assertNoTraceOf(id);
    }

    /** {@return the task's status in {@code ctr task ls} (RUNNING, PAUSED, STOPPED), or "" when it has none} */
    private static String status(String id) {
        Result tasks = ctr.run("tasks", "list");
        assertSucceeds(tasks);
        return tasks.output().lines().map(line -> line.split("\\s+"))
                .filter(columns -> columns[0].equals(id)).map(columns -> columns[2]).findFirst().orElse("");
    }

    /** Neither containerd's container and task nor jrun's state nor a cgroup is left of {@code id}. */
    private static void assertNoTraceOf(String id) {
        assertThat(ctr.run("containers", "list", "--quiet").output().lines()).doesNotContain(id);
        assertThat(status(id)).isEmpty();
        assertThat(work.resolve("runc").resolve(namespace).resolve(id)).doesNotExist();
        assertThat(namespaceCgroups()).allSatisfy(cgroup -> assertThat(cgroup.resolve(id)).doesNotExist());
    }

    /** {@return the cgroups named after the namespace, in which ctr's cgroup paths put the tasks' cgroups} */
    private static List<Path> namespaceCgroups() {
        try (Stream<Path> hierarchies = Files.list(CGROUPS)) {
            return Stream.concat(Stream.of(CGROUPS), hierarchies).map(hierarchy -> hierarchy.resolve(namespace))
                    .filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitGrowth(Path file, long size) {
        await(file + " grows beyond " + size + " bytes", () -> Files.exists(file) && sizeOf(file) > size);
    }

    private static void await(String what, BooleanSupplier condition) {
        for (int attempt = 0; !condition.getAsBoolean(); attempt++) {
            assertThat(attempt).as("waiting until %s", what).isLessThan(600);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void assertSucceeds(Result result) {
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
