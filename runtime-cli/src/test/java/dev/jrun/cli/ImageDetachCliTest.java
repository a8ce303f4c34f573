package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code jrun run -d [--name N] IMAGE}, {@code run --name N IMAGE} and {@code run --keep IMAGE}: an image's container that
 * {@code list}, {@code exec}, {@code logs}, {@code kill} and {@code delete} reach by its ID, and
 * that leaves no process (its own or its slirp4netns), mount, cgroup, state directory or
 * container root once deleted, or once its create failed; a name in use is refused; {@code image prune -a}
 * keeps a running container's image; with {@code -d --rm}, the container is removed when it ends.
 */
class ImageDetachCliTest {

    private static final String IMAGE = "cli-test/busybox:docker";
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    private static final Pattern BUNDLE = Pattern.compile("\"bundle\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STOPPED = Pattern.compile("\"status\"\\s*:\\s*\"stopped\"");

    @TempDir
    Path directory;
    private Path storage;
    private Path state;
    private JrunCli jrun;

    @BeforeEach
    void importTheImage() throws Exception {
        HostSystem.assumeRoot("mounts an overlay root and starts containers with a private network");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/slirp4netns")),
                "needs /usr/bin/slirp4netns for an image's private network: install Debian's package slirp4netns");
        BusyboxImageArchives.writeTo(directory);
        storage = directory.resolve("storage");
        state = directory.resolve("state");
        jrun = new JrunCli(List.of("env", "JRUN_STORAGE=" + storage), JrunCli.asThisUser().classpath());
        jrun.succeeds("import", directory.resolve("docker.tar").toString());
    }

    @AfterEach
    void nothingIsLeft() throws IOException {
        if (jrun == null) {
            return;
        }
        List<String> left = jrun("list", "-q").stdoutLines();
        left.forEach(id -> jrun("delete", "--force", id));
        assertThat(left).as("containers the test left").isEmpty();
        assertThat(entries(storage.resolve("containers"))).as("container roots").isEmpty();
        assertThat(HostSystem.mountPoints()).noneMatch(point -> point.startsWith(directory.toString()));
    }

    @Test
    void aDetachedNamedContainerIsListedExecutedInLoggedKilledAndDeletedWithoutATrace() throws IOException {
        JrunCli.Result run = jrun.succeeds("--root", state.toString(), "run", "-d", "--name", "web",
                "--hostname", "webhost", IMAGE, "sh", "-c",
                "echo kept >/tmp/mark; echo to stdout; echo to stderr >&2; exec busybox sleep 1000");
        assertThat(run.stdout()).isEqualTo("web\n");

        assertThat(jrun("list").stdoutLines()).anySatisfy(line -> assertThat(line).startsWith("web ").contains(" running "));
        int pid = pidOf("web");
        List<Path> cgroup = cgroupOf(pid, "web");
        assertThat(cgroup).as("its cgroup").isNotEmpty();
        int helper = helperOf(pid).orElseThrow(() -> new AssertionError("no slirp4netns for the container " + pid));
        assertThat(HostSystem.mountPoints()).anyMatch(point -> point.startsWith(storage.resolve("containers").toString()));

        String logs = awaitLogs("web", output -> output.contains("to stderr"));
        assertThat(logs.lines()).containsExactlyInAnyOrder("to stdout", "to stderr");
        assertThat(jrun("exec", "web", "busybox", "hostname").stdout()).isEqualTo("webhost\n");
        assertThat(jrun("exec", "web", "cat", "/tmp/mark").stdout()).as("its own files").isEqualTo("kept\n");

        jrun("kill", "web", "KILL");
        awaitStopped("web");
        jrun("delete", "web");

        assertThat(state.resolve("web")).doesNotExist();
        assertThat(gone(pid)).as("the container's process").isTrue();
        assertThat(gone(helper)).as("its slirp4netns").isTrue();
        assertThat(cgroup).noneMatch(Files::exists);
        assertThat(entries(storage.resolve("containers"))).as("its root").isEmpty();
    }

    @Test
    void aNameInUseIsRefusedAndAFailedCreateLeavesNothing() {
        jrun("run", "-d", "--name", "taken", IMAGE, "busybox", "sleep", "1000");

        JrunCli.Result again = jrun.run("--root", state.toString(), "run", "-d", "--name", "taken", IMAGE, "true");
        assertThat(again.exitCode()).isEqualTo(125);
        assertThat(again.stderr()).contains("container \"taken\" already exists");
        assertThat(entries(storage.resolve("containers"))).as("the refused run's root is removed").hasSize(1);

        JrunCli.Result missing = jrun.run("--root", state.toString(), "run", "-d", "--name", "broken", IMAGE, "nosuch");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("nosuch");
        assertThat(jrun("list", "-q").stdoutLines()).containsExactly("taken");
        assertThat(entries(storage.resolve("containers"))).hasSize(1);

        jrun("delete", "--force", "taken");
    }

    @Test
    void pruningEveryImageKeepsTheOneADetachedContainerRunsUntilItIsDeleted() throws Exception {
        // Another image (its own config) of the same layer.
        Path other = Files.createDirectory(directory.resolve("other"));
        BusyboxImageArchives.writeTo(other, "{\"Cmd\":[\"true\"]}");
        jrun("run", "-d", "--name", "kept", IMAGE, "busybox", "sleep", "1000");
        jrun("import", other.resolve("oci.tar").toString(), "localhost/unused:1");

        assertThat(jrun("image", "prune", "-a").stdoutLines()).contains("untagged: localhost/unused:1")
                .doesNotContain("untagged: docker.io/" + IMAGE);
        assertThat(jrun("images", "-q").stdoutLines()).containsExactly("docker.io/" + IMAGE);
        assertThat(jrun("exec", "kept", "echo", "from its root").stdout()).isEqualTo("from its root\n");

        jrun("delete", "--force", "kept");
        assertThat(jrun("image", "prune", "-a").stdoutLines()).contains("untagged: docker.io/" + IMAGE);
        assertThat(jrun("images", "-q").stdout()).isEmpty();
    }

    @Test
    void withoutANameTheGeneratedIdIsPrintedAndLogsFollowsToTheEnd() {
        String id = jrun("run", "-d", IMAGE).stdout().strip();

        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(jrun("list", "-q").stdoutLines()).containsExactly(id);
        assertThat(jrun("logs", "-f", id).stdout()).isEqualTo("from the Cmd\n");
        jrun("delete", id);
    }

    @Test
    void aNamedForegroundContainerIsDeletedWhenItEnds() {
        JrunCli.Result run = jrun.run("--root", state.toString(), "run", "--name", "fg", IMAGE, "sh", "-c",
                "echo in the foreground; exit 3");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stdout()).isEqualTo("in the foreground\n");
        assertThat(state.resolve("fg")).doesNotExist();
    }

    @Test
    void aKeptContainerStaysStoppedWithItsChangesUntilItIsDeleted() throws IOException {
        JrunCli.Result run = jrun.run("--root", state.toString(), "run", "--keep", "--name", "kept", IMAGE, "sh", "-c",
                "echo changed > /tmp/mark; exit 3");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stderr()).as("its name is known: nothing to print").isEmpty();
        assertThat(jrun("list").stdoutLines()).anySatisfy(line -> assertThat(line).startsWith("kept ").contains(" stopped "));
        Path root = bundleOf("kept");
        assertThat(root.resolve("merged/tmp/mark")).as("its root, as it left it").hasContent("changed");
        assertThat(root.resolve("upper/tmp/mark")).as("its changes alone").hasContent("changed");

        jrun("delete", "kept");

        assertThat(state.resolve("kept")).doesNotExist();
        assertThat(root).doesNotExist();
    }

    @Test
    void aKeptContainerWithoutANameIsReachedByTheIdPrintedOnStderr() {
        JrunCli.Result run = jrun.succeeds("--root", state.toString(), "run", "--keep", "--storage-driver", "vfs", IMAGE,
                "sh", "-c", "echo changed > /tmp/mark");

        Matcher notice = Pattern.compile("jrun: notice: container ([0-9a-f]{64}) is kept once it ends:"
                + " 'jrun delete \\1' removes it").matcher(run.stderr());
        assertThat(notice.find()).as(run.stderr()).isTrue();
        String id = notice.group(1);
        assertThat(jrun("list", "-q").stdoutLines()).containsExactly(id);
        assertThat(bundleOf(id).resolve("merged/tmp/mark")).as("in its copy of the image").hasContent("changed");

        jrun("delete", id);

        assertThat(jrun("list", "-q").stdout()).isEmpty();
        assertThat(state.resolve(id)).doesNotExist();
    }

    @Test
    void keepingAndRemovingDoNotGoTogether() {
        JrunCli.Result both = jrun.run("--root", state.toString(), "run", "--keep", "--rm", IMAGE);

        assertThat(both.exitCode()).isEqualTo(125);
        assertThat(both.stderr()).contains("--rm and --keep do not go together");
        assertThat(entries(storage.resolve("containers"))).as("no root was made for a refused run").isEmpty();
    }

    @Test
    void aDetachedContainerRunWithRmIsRemovedWhenItEnds() throws IOException {
        // It ends once the test has looked at it: no race with its removal.
        String id = jrun("run", "-d", "--rm", IMAGE, "sh", "-c",
                "until [ -e /tmp/done ]; do busybox sleep 0.1; done").stdout().strip();
        int pid = pidOf(id);
        List<Path> cgroup = cgroupOf(pid, id);
        Path root = bundleOf(id);
        assertThat(root.resolve("upper")).as("its writable layer, while it runs").isDirectory();
        Files.createFile(root.resolve("merged/tmp/done"));

        while (jrun("list", "-q").stdoutLines().contains(id)) {
            Thread.onSpinWait();
        }

        assertThat(state.resolve(id)).doesNotExist();
        assertThat(root).as("its root and writable layer").doesNotExist();
        assertThat(cgroup).as("its cgroup").isNotEmpty().noneMatch(Files::exists);
        assertThat(gone(pid)).as("the container's process").isTrue();
    }

    @Test
    void waitingForAContainerAndKillingItDoNotGoTogether() {
        JrunCli.Result both = jrun.run("--root", state.toString(), "delete", "--force", "--when-stopped", "any");

        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.stderr()).contains("--force and --when-stopped do not go together");
    }

    @Test
    void detachingRefusesATerminalNothingWouldHold() {
        JrunCli.Result terminal = jrun.run("--root", state.toString(), "run", "-d", "-t", IMAGE);
        assertThat(terminal.exitCode()).isEqualTo(125);
        assertThat(terminal.stderr()).contains("-t/--tty and -d do not go together");
        assertThat(entries(storage.resolve("containers"))).as("no root was mounted for a refused run").isEmpty();
    }

    private JrunCli.Result jrun(String... args) {
        List<String> command = new ArrayList<>(List.of("--root", state.toString()));
        command.addAll(List.of(args));
        return jrun.succeeds(command.toArray(String[]::new));
    }

    /** {@return the container's bundle: for a container of an image, the directory of its root} */
    private Path bundleOf(String id) {
        Matcher bundle = BUNDLE.matcher(jrun("state", id).stdout());
        assertThat(bundle.find()).isTrue();
        return Path.of(bundle.group(1));
    }

    private int pidOf(String id) {
        Matcher pid = PID.matcher(jrun("state", id).stdout());
        assertThat(pid.find()).isTrue();
        return Integer.parseInt(pid.group(1));
    }

    /** {@return the logs once {@code complete} accepts them: the container writes them after run returned} */
    private String awaitLogs(String id, Predicate<String> complete) {
        String logs = jrun("logs", id).stdout();
        while (!complete.test(logs)) {
            Thread.onSpinWait();
            logs = jrun("logs", id).stdout();
        }
        return logs;
    }

    private void awaitStopped(String id) {
        while (!STOPPED.matcher(jrun("state", id).stdout()).find()) {
            Thread.onSpinWait();
        }
    }

    /** {@return the directories of the process's cgroup named after the container, in every hierarchy /proc lists} */
    private static List<Path> cgroupOf(int pid, String id) throws IOException {
        List<Path> directories = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String path = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
            if (path.endsWith("/" + id)) {
                directories.addAll(HostSystem.cgroupDirectoriesNamed(path));
            }
        }
        return directories;
    }

    /** {@return the slirp4netns whose command line names {@code containerPid}'s network namespace} */
    private static Optional<Integer> helperOf(int containerPid) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/slirp4netns"))
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of())
                        .contains(Integer.toString(containerPid)))
                .map(process -> (int) process.pid())
                .findFirst();
    }

    /** A zombie is gone too: its reaper is not this test. */
    private static boolean gone(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> entries(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
