package dev.jrun.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.sigaction;
import dev.jrun.internal.sys.NativeFunction;
import dev.jrun.model.ExitStatus;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The library runs containers in the foreground without taking this process's signals or terminal:
 * that is {@code jrun}'s business ({@link dev.jrun.Foreground}, which the CLI opts in to and
 * {@code CliSignalTest} covers).
 */
class OciRuntimeLeavesSignalsAloneTest {

    private static final NativeFunction SIGACTION =
            NativeFunction.of("sigaction", Libc::sigaction$address, Libc::sigaction$descriptor);
    private static final List<Integer> FOREGROUND_SIGNALS =
            List.of(Libc.SIGINT(), Libc.SIGTERM(), Libc.SIGHUP(), Libc.SIGQUIT(), Libc.SIGWINCH());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** As the JVM set them up, before any test ran a container. */
    private static Map<Integer, String> jvmDispositions;

    @TempDir
    Path directory;

    @BeforeAll
    static void needsRoot() throws IOException {
        RequiresRoot.assumeRootForContainers();
        jvmDispositions = dispositions();
    }

    @AfterEach
    void signalsAreAsTheJvmSetThemUp() throws IOException {
        assertThat(dispositions()).isEqualTo(jvmDispositions);
    }

    @Test
    void runAndExecInTheForegroundKeepThisProcesssSignalHandlers() throws IOException {
        OciRuntime runtime = new OciRuntime(directory.resolve("state"));

        assertThat(runtime.run("exits", CreateOptions.of(bundle("exits", false, "sh", "-c", "exit 3")), false))
                .isEqualTo(ExitStatus.exited(3));
        // Followed, not detached, so that this JVM reaps it: no test leaves a zombie child behind.
        AtomicReference<ExitStatus> exec = new AtomicReference<>();
        ExitStatus sleeper = runtime.run("sleeps", CreateOptions.of(bundle("sleeps", false, "sleep", "60")), process -> {
            exec.set(runtime.exec("sleeps", request("sh", "-c", "exit 4")));
            process.kill(Libc.SIGKILL());
            return process.waitFor();
        });

        assertThat(exec.get()).isEqualTo(ExitStatus.exited(4));
        assertThat(sleeper).isEqualTo(ExitStatus.killed(Libc.SIGKILL()));
        assertThat(runtime.list()).isEmpty();
    }

    @Test
    void aTerminalIsNeverJoinedToThisProcesssOwnWithoutBeingAskedTo() {
        OciRuntime runtime = new OciRuntime(directory.resolve("state"));

        assertThatThrownBy(() -> runtime.run("tty", CreateOptions.of(bundle("tty", true, "true")), false))
                .hasMessageContaining("no --console-socket was given");
        assertThat(runtime.list()).isEmpty();
    }

    /** {@return a bundle with a busybox rootfs running {@code args}, on a terminal or not} */
    private Path bundle(String name, boolean terminal, String... args) throws IOException {
        Path bundle = directory.resolve(name);
        Path rootfs = BusyboxRootfs.create(bundle.resolve("rootfs"));
        Files.createSymbolicLink(rootfs.resolve("bin/sleep"), Path.of("busybox"));
        ObjectNode config = (ObjectNode) JSON.readTree(OciJson.write(DefaultSpec.create()));
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", terminal);
        process.set("args", JSON.valueToTree(args));
        Files.writeString(bundle.resolve("config.json"), JSON.writeValueAsString(config));
        return bundle;
    }

    private static ExecRequest request(String... args) {
        return new ExecRequest(Optional.empty(), List.of(args), List.of(), Optional.empty(), Optional.empty(), false,
                false, Optional.empty(), Optional.empty(), 0);
    }

    /**
     * {@return each foreground signal's handler address and flags, and whether this process catches it
     * (SigCgt)} The JVM catches INT, TERM, HUP and QUIT itself, so only the handler shows a takeover.
     */
    private static Map<Integer, String> dispositions() throws IOException {
        BigInteger caught = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("SigCgt:"))
                .map(line -> new BigInteger(line.substring("SigCgt:".length()).trim(), 16))
                .findFirst().orElseThrow();
        Map<Integer, String> dispositions = new LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment action = sigaction.allocate(arena);
            for (int signal : FOREGROUND_SIGNALS) {
                SIGACTION.call("signal " + signal, signal, MemorySegment.NULL, action);
                dispositions.put(signal, "handler 0x"
                        + Long.toHexString(sigaction.__sigaction_handler.sa_handler(sigaction.__sigaction_handler(action)).address())
                        + ", flags 0x" + Integer.toHexString(sigaction.sa_flags(action))
                        + (caught.testBit(signal - 1) ? ", caught" : ""));
            }
        }
        return dispositions;
    }
}
