package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jrun.model.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OCI lifecycle through the command line, for real (root, busybox): create, start, state,
 * kill, exec, delete, run, spec and hooks; each test on a state root of its own, deleting every
 * container it made.
 */
class OciLifecycleTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();
    private final Path root = jrun.root();

    private BusyboxBundle bundle(String name, String... args) {
        return BusyboxBundle.create(work.resolve(name), args);
    }

    private static String mounts() throws IOException {
        return Files.readString(Path.of("/proc/self/mountinfo"));
    }

    @Test
    void theSpecsExampleCreatesWaitsForStartAndIsDeletedWithoutTrace() throws IOException {
        Path bundle = bundle("hello", "sh", "-c", "echo hello; exit 42").write();
        Path output = work.resolve("container-output");
        String mountsBefore = mounts();
        // The container keeps jrun's stdout, a file here: empty until start.
        List<String> create = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" > " + output, "sh"));
        create.addAll(jrun.command("create", "--bundle", bundle.toString(), "--pid-file",
                work.resolve("pid").toString(), "hello"));
        OciCli.Result created = jrun.run(create);
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        int pid = Integer.parseInt(Files.readString(work.resolve("pid")));
        assertThat(jrun.state("hello").get("status").asText()).isEqualTo("created");
        assertThat(Files.readString(output)).isEmpty();

        assertThat(jrun.run("start", "hello").exitCode()).isZero();
        ExitStatus status = Subreaper.waitFor(pid);

        assertThat(status).isEqualTo(ExitStatus.exited(42));
        assertThat(Files.readString(output)).isEqualTo("hello\n");
        assertThat(jrun.state("hello").get("status").asText()).isEqualTo("stopped");
        assertThat(jrun.run("delete", "hello").exitCode()).isZero();
        assertThat(root.resolve("hello")).doesNotExist();
        assertThat(mounts()).isEqualTo(mountsBefore);
    }

    @Test
    void specThenRunWorksOnABusyboxBundle() throws IOException {
        Path bundle = BusyboxBundle.create(work.resolve("spec")).directory();
        assertThat(jrun.run("spec", "--bundle", bundle.toString()).exitCode()).isZero();

        // runc's default: a shell on a terminal, which jrun joins to its own stdin and stdout.
        OciCli.Result run = jrun.runWithInput("echo from-$(hostname); exit 7\n", "run", "-b", bundle.toString(), "spec");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(7);
        assertThat(run.stdout()).contains("from-jrun");
        assertThat(root.resolve("spec")).doesNotExist();
    }

    @Test
    void runJoinsTheContainersTerminalToJrunsAtItsSizeOrTheDefaultWhenThatIsUnknown() throws IOException {
        BusyboxBundle bundle = bundle("sized", "stty", "size");
        bundle.process().put("terminal", true);
        String directory = bundle.write().toString();

        try (PseudoTerminal sized = PseudoTerminal.sized(132, 43)) {
            JrunCli.Result run = sized.run(jrun.command("run", "-b", directory, "sized"));

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).isEqualTo("43 132\r\n");
        }
        try (PseudoTerminal unsized = PseudoTerminal.sized(0, 0)) {
            JrunCli.Result run = unsized.run(jrun.command("run", "-b", directory, "sized"));

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stdout()).isEqualTo("24 80\r\n");
        }
        assertThat(root.resolve("sized")).doesNotExist();
    }

    /** As runc: the command's user owns its terminal, in the tty group that devpts' gid=5 gives it; exec's too. */
    @Test
    void theTerminalBelongsToTheCommandsUser() throws IOException {
        BusyboxBundle bundle = bundle("owned", "sh", "-c", "stat -c %u:%g $(tty)");
        bundle.process().put("terminal", true);
        bundle.process().putObject("user").put("uid", 1000).put("gid", 100);
        String directory = bundle.write().toString();

        JrunCli.Result run;
        try (PseudoTerminal terminal = PseudoTerminal.sized(80, 24)) {
            run = terminal.run(jrun.command("run", "-b", directory, "owned"));
        }
        bundle.args("sleep", "1000").process().put("terminal", false);
        assertThat(jrun.run("run", "-d", "-b", bundle.write().toString(), "owned").exitCode()).isZero();
        JrunCli.Result exec;
        try (PseudoTerminal terminal = PseudoTerminal.sized(80, 24)) {
            exec = terminal.run(jrun.command("exec", "-t", "--user", "1001:100", "owned", "sh", "-c", "stat -c %u:%g $(tty)"));
        }

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("1000:5\r\n");
        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        assertThat(exec.stdout()).isEqualTo("1001:5\r\n");
    }

    /** exec -p's process.consoleSize sizes the terminal before the command runs (an unsized caller's terminal leaves it). */
    @Test
    void execProcessConsoleSizeSizesTheTerminal() throws IOException {
        assertThat(jrun.run("run", "-d", "-b", bundle("sizes", "sleep", "1000").write().toString(), "sizes").exitCode())
                .isZero();
        Path process = Files.writeString(work.resolve("process.json"), """
                {"terminal": true, "consoleSize": {"height": 10, "width": 110}, "args": ["stty", "size"], "cwd": "/",
                 "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}""");

        JrunCli.Result exec;
        try (PseudoTerminal unsized = PseudoTerminal.sized(0, 0)) {
            exec = unsized.run(jrun.command("exec", "-t", "-p", process.toString(), "sizes"));
        }

        assertThat(exec.exitCode()).as(exec.stderr()).isZero();
        assertThat(exec.stdout()).isEqualTo("10 110\r\n");
    }

    @Test
    void theStateHasTheFieldsOfTheSpecsSchema() {
        BusyboxBundle bundle = bundle("stated", "sleep", "1000");
        bundle.config().putObject("annotations").put("org.example.key", "value");
        assertThat(jrun.run("create", "-b", bundle.write().toString(), "stated").exitCode()).isZero();

        JsonNode state = jrun.state("stated");

        assertThat(fieldNames(state)).containsExactlyInAnyOrder("ociVersion", "id", "status", "pid", "bundle", "annotations");
        assertThat(state.get("ociVersion").asText()).matches("1\\.\\d+\\.\\d+");
        assertThat(state.get("id").asText()).isEqualTo("stated");
        assertThat(state.get("status").asText()).isIn("creating", "created", "running", "stopped");
        assertThat(state.get("pid").isInt()).isTrue();
        assertThat(state.get("pid").asInt()).isPositive();
        assertThat(state.get("bundle").asText()).isEqualTo(bundle.directory().toString());
        assertThat(state.get("annotations").get("org.example.key").asText()).isEqualTo("value");
    }

    /** runc's list -f json: one line, an array of runc's own fields in its order, which its suite matches. */
    @Test
    void listAsJsonPrintsRuncsFieldsOnOneLine() {
        BusyboxBundle bundle = bundle("listed", "sleep", "1000");
        bundle.config().putObject("annotations").put("org.example.key", "value");
        assertThat(jrun.run("create", "-b", bundle.write().toString(), "listed").exitCode()).isZero();
        JsonNode state = jrun.state("listed");

        OciCli.Result list = jrun.run("list", "--format", "json");

        assertThat(list.stdout().lines()).hasSize(1);
        JsonNode entry = OciCli.json(list.stdout()).get(0);
        List<String> fieldsInOrder = new ArrayList<>();
        entry.fieldNames().forEachRemaining(fieldsInOrder::add);
        assertThat(fieldsInOrder).containsExactly("ociVersion", "id", "pid", "status", "bundle", "rootfs",
                "created", "annotations", "owner");
        for (String field : List.of("ociVersion", "id", "pid", "status", "bundle", "annotations")) {
            assertThat(entry.get(field)).as(field).isEqualTo(state.get(field));
        }
        assertThat(entry.get("rootfs").asText()).isEqualTo(bundle.directory().resolve("rootfs").toString());
        assertThat(Instant.parse(entry.get("created").asText())).isBefore(Instant.now());
        assertThat(entry.get("owner").asText()).isEqualTo("root");
    }

    @Test
    void hooksRunInOrderWithTheStateOnStdin() throws IOException {
        Path log = Files.createDirectories(work.resolve("hooks")).resolve("log");
        String append = "echo \"== $0\" >> LOG; cat >> LOG";
        BusyboxBundle bundle = bundle("hooked", "true").bind(log.getParent(), "/hooks");
        for (String kind : List.of("prestart", "createRuntime", "createContainer", "poststart", "poststop")) {
            bundle.hook(kind, "/bin/sh", "sh", "-c", append.replace("LOG", log.toString()), kind);
        }
        // startContainer runs in the container: its /bin/sh is busybox, the log is in the bind mount.
        bundle.hook("startContainer", "/bin/sh", "sh", "-c", append.replace("LOG", "/hooks/log"), "startContainer");

        assertThat(jrun.run("create", "-b", bundle.write().toString(), "hooked").exitCode()).isZero();
        assertThat(jrun.run("start", "hooked").exitCode()).isZero();
        assertThat(jrun.run("delete", "--force", "hooked").exitCode()).isZero();

        String[] calls = Files.readString(log).split("== ");
        assertThat(Stream.of(calls).skip(1).map(c -> c.substring(0, c.indexOf('\n'))))
                .containsExactly("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop");
        List<JsonNode> states = Stream.of(calls).skip(1).map(c -> OciCli.json(c.substring(c.indexOf('\n')))).toList();
        assertThat(states.getFirst().get("id").asText()).isEqualTo("hooked");
        assertThat(states.getFirst().get("pid").asInt()).isGreaterThan(1);
        assertThat(states.get(3).get("pid").asInt())
                .as("the container's own PID, in its PID namespace").isEqualTo(1);
        // The runtime spec's status at each point: set-up hooks see "creating", startContainer the created
        // container it is about to start, poststart a running one, poststop a stopped one.
        assertThat(states).extracting(state -> state.get("status").asText())
                .containsExactly("creating", "creating", "creating", "created", "running", "stopped");
    }

    /** A prestart hook fails before the container's filesystem is made, a createContainer hook at its gate before pivot_root. */
    @ParameterizedTest
    @ValueSource(strings = {"prestart", "createContainer"})
    void aFailingSetUpHookFailsCreateAndLeavesNothingBehind(String kind) throws IOException {
        BusyboxBundle bundle = bundle("failed", "sleep", "31415926")
                .hook(kind, "/bin/sh", "sh", "-c", "echo not for you >&2; exit 3");
        Path pidFile = work.resolve("pid");

        OciCli.Result create = jrun.run("create", "-b", bundle.write().toString(), "--pid-file", pidFile.toString(), "failed");

        assertThat(create.exitCode()).isNotZero();
        assertThat(create.stderr()).contains("error running hook " + kind + "[0] (/bin/sh): exited with 3: not for you");
        assertThat(root.resolve("failed")).doesNotExist();
        assertThat(pidFile).doesNotExist();
        assertThat(processesRunning("sleep\u000031415926")).isEmpty();
        assertThat(mounts()).doesNotContain(bundle.directory().toString());
    }

    /**
     * As runc runs them: in the container's mount namespace before pivot_root, with the host's
     * programs and files and the bundle's rootfs (with the container's mounts) as working directory,
     * so that what a hook mounts there is the container's, and not the host's.
     */
    @Test
    void aCreateContainerHookMountsIntoTheRootBeforeItIsEnteredAndTheContainerSeesIt() throws IOException {
        Path library = Files.writeString(work.resolve("library"), "from the host\n");
        Path log = work.resolve("hook-log");
        BusyboxBundle bundle = bundle("mounting", "cat", "/etc/library", "/proc/self/comm")
                .hook("createContainer", "/bin/sh", "sh", "-c", "pwd > " + log + " && ls proc/self >/dev/null"
                        + " && touch ./etc/library && mount --bind " + library + " ./etc/library");

        OciCli.Result run = jrun.run("run", "-b", bundle.write().toString(), "mounting");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("from the host\ncat\n");
        assertThat(Files.readString(log)).isEqualTo(bundle.directory().resolve("rootfs").toRealPath() + "\n");
        assertThat(mounts()).doesNotContain(bundle.directory().toString());
    }

    @Test
    void badInputIsRefusedPreciselyAndLeavesNothingBehind() {
        BusyboxBundle bundle = bundle("bad", "true");
        String valid = bundle.config().toPrettyString();

        bundle.writeRaw(valid.replaceFirst("\\{", "{ \"hostname\": \"x\",,"));
        jrun.assertRefused("create", "-b", bundle.directory().toString(), "x").contains("config.json: line 1, column");

        bundle.writeRaw(valid.replace("\"type\" : \"uts\"", "\"type\" : \"pdi\""));
        jrun.assertRefused("create", "-b", bundle.directory().toString(), "x")
                .contains("linux.namespaces[3].type: unknown namespace \"pdi\"");

        bundle.writeRaw(valid.replace("\"path\" : \"rootfs\"", "\"path\" : \"missing\""));
        jrun.assertRefused("create", "-b", bundle.directory().toString(), "x")
                .contains("root.path: " + bundle.directory().resolve("missing") + " does not exist");

        ArrayNode mounts = (ArrayNode) bundle.config().get("mounts");
        mounts.addObject().put("destination", "/x\0/etc").put("type", "tmpfs").put("source", "tmpfs");
        jrun.assertRefused("create", "-b", bundle.write().toString(), "x")
                .endsWith("config.json: mounts[" + (mounts.size() - 1) + "].destination: contains a NUL byte\n");

        bundle.writeRaw(valid);
        jrun.assertRefused("create", "-b", bundle.directory().toString(), "a/b").contains("invalid container ID \"a/b\"");
        jrun.assertRefused("create", "-b", work.resolve("nowhere").toString(), "x").contains("has no config.json");
        jrun.assertRefused("--systemd-cgroup", "create", "-b", bundle.directory().toString(), "x")
                .contains("--systemd-cgroup: the systemd cgroup driver is not supported");
        assertThat(root).satisfiesAnyOf(r -> assertThat(r).doesNotExist(), r -> assertThat(r).isEmptyDirectory());
    }

    @Test
    void aRelativeRootPathIsRelativeToTheBundleNotTheWorkingDirectory() {
        BusyboxBundle bundle = bundle("relative", "sh", "-c", "echo relative root");
        assertThat(bundle.at("root.path").asText()).isEqualTo("rootfs");

        OciCli.Result run = jrun.run("run", "-b", bundle.write().toString(), "relative");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("relative root\n");
    }

    @Test
    void aTakenIdAStartedContainerAndALiveContainerAreRefused() {
        Path bundle = bundle("busy", "sleep", "1000").write();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), "busy").exitCode()).isZero();

        jrun.assertRefused("create", "-b", bundle.toString(), "busy").contains("container \"busy\" already exists");
        jrun.assertRefused("start", "busy").contains("cannot start container \"busy\": it is running, started already");
        jrun.assertRefused("delete", "busy").contains("cannot delete container \"busy\": it is running; stop it first, or use --force");
        jrun.assertRefused("resume", "busy").contains("cannot resume container \"busy\": it is running, not paused");

        assertThat(jrun.state("busy").get("status").asText()).isEqualTo("running");
    }

    @Test
    void execRunsInTheContainerAndKillTakesNamesAndNumbers() {
        Path bundle = bundle("exec", "sleep", "1000").write();
        assertThat(jrun.run("run", "-d", "-b", bundle.toString(), "exec").exitCode()).isZero();

        OciCli.Result exec = jrun.run("exec", "-e", "GREETING=hi", "--cwd", "/etc", "exec",
                "sh", "-c", "echo $GREETING from $(pwd) as PID $$ with $(cat /proc/1/cmdline | tr '\\0' ' '); exit 4");
        assertThat(exec.exitCode()).as(exec.stderr()).isEqualTo(4);
        assertThat(exec.stdout()).matches("hi from /etc as PID \\d+ with sleep 1000\\s*");

        OciCli.Result ps = jrun.run("ps", "--format", "json", "exec");
        assertThat(OciCli.json(ps.stdout()).get(0).asInt()).isEqualTo(jrun.state("exec").get("pid").asInt());

        jrun.assertRefused("kill", "exec", "SIGNOPE").contains("unknown signal \"SIGNOPE\"");
        assertThat(jrun.run("kill", "exec").exitCode()).as("TERM, which PID 1 without a handler ignores").isZero();
        assertThat(jrun.state("exec").get("status").asText()).isEqualTo("running");
        assertThat(jrun.run("kill", "exec", "KILL").exitCode()).isZero();
        awaitStopped("exec");
        jrun.assertRefused("kill", "exec", "9").contains("cannot kill container \"exec\": it is stopped");
        assertThat(jrun.run("delete", "exec").exitCode()).isZero();
    }

    @Test
    void preservedDescriptorsReachTheContainer() throws IOException {
        Path secret = Files.writeString(work.resolve("secret"), "passed on\n");
        Path bundle = bundle("fds", "sh", "-c", "cat <&3").write();
        List<String> run = new ArrayList<>(List.of("/bin/sh", "-c", "exec 3<" + secret + "; exec \"$@\"", "sh"));
        run.addAll(jrun.command("run", "--preserve-fds", "1", "-b", bundle.toString(), "fds"));

        OciCli.Result result = jrun.run(run);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo("passed on\n");
    }

    @Test
    void theConsoleSocketReceivesTheTerminalOfTheContainer() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the console socket's receiving end is python3");
        BusyboxBundle bundle = bundle("console", "sh", "-c", "echo on $(tty); sleep 1000");
        bundle.process().put("terminal", true);
        Path socket = work.resolve("console.sock");
        // A console socket server, as conmon is one: receives the terminal, reads what the container writes to it.
        Process receiver = new ProcessBuilder("/usr/bin/python3", "-c", """
                import os, socket, sys
                server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                server.bind(sys.argv[1]); server.listen(1)
                print("listening", flush=True)
                connection, _ = server.accept()
                message, fds, _, _ = socket.recv_fds(connection, 1024, 1)
                output = b""
                while b"\\n" not in output:
                    output += os.read(fds[0], 1024)
                print(message.decode(), output.decode().strip(), flush=True)
                """, socket.toString()).redirectErrorStream(true).start();
        var lines = receiver.inputReader();
        assertThat(lines.readLine()).isEqualTo("listening");

        OciCli.Result run = jrun.run("run", "-d", "--console-socket", socket.toString(), "-b", bundle.write().toString(),
                "console");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(lines.readLine()).isEqualTo("/dev/pts/0 on /dev/pts/0");
        assertThat(receiver.waitFor()).isZero();
    }

    private void awaitStopped(String id) {
        while (!jrun.state(id).get("status").asText().equals("stopped")) {
            Thread.onSpinWait();
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** {@return the PIDs whose command line contains {@code commandLine} (arguments NUL-separated)} */
    private static List<String> processesRunning(String commandLine) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("cmdline")).contains(commandLine);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
    }
}
