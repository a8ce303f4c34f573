package dev.jrun.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.model.ExitStatus;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.RequiresRoot;
import dev.jrun.testing.SeccompTestAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Seccomp user notification as runc does it: the profile's {@code SCMP_ACT_NOTIFY} rules send the
 * filter's listener, with the container's state, to the agent at {@code linux.seccomp.listenerPath},
 * and the agent's answers are what the container's calls return; an exec'd process sends a listener
 * of its own.
 */
class SeccompAgentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    @Test
    void theAgentGetsTheListenerAndTheStateAndItsAnswersAreWhatMkdirReturns() throws Exception {
        Path socket = directory.resolve("agent.sock");
        // Each mkdir must see the agent's answer: the first "succeeds" without creating, the second fails with EACCES.
        Path bundle = bundle("notify", socket, "mkdir /dev/shm/made || exit 2; test -e /dev/shm/made && exit 3;"
                + " mkdir /dev/shm/refused 2>/dev/null && exit 4; test -e /dev/shm/refused && exit 5; exit 0");
        OciRuntime runtime = new OciRuntime(directory.resolve("state"));
        try (SeccompTestAgent agent = new SeccompTestAgent(socket)) {
            CompletableFuture<SeccompTestAgent.Delivery> delivered = CompletableFuture.supplyAsync(() -> {
                SeccompTestAgent.Delivery delivery = agent.receive();
                try {
                    SeccompTestAgent.answer(delivery.listener(), 0, 0);
                    SeccompTestAgent.answer(delivery.listener(), 0, Libc.EACCES());
                } finally {
                    Descriptors.close(delivery.listener());
                }
                return delivery;
            });
            ExitStatus status;
            try {
                status = runtime.run("notify", CreateOptions.of(bundle), false);
            } finally {
                if (!delivered.isDone()) {
                    agent.unblock();
                }
            }

            assertThat(status).isEqualTo(ExitStatus.exited(0));
            JsonNode message = JSON.readTree(delivered.join().message());
            assertThat(message.get("ociVersion").asText()).isEqualTo(State.OCI_VERSION);
            assertThat(message.get("fds")).extracting(JsonNode::asText).containsExactly("seccompFd");
            assertThat(message.get("metadata").asText()).isEqualTo("from the test");
            JsonNode state = message.get("state");
            assertThat(state.get("id").asText()).isEqualTo("notify");
            assertThat(state.get("status").asText()).isEqualTo("creating");
            assertThat(state.get("bundle").asText()).isEqualTo(bundle.toString());
            assertThat(message.get("pid").asInt()).isPositive().isEqualTo(state.get("pid").asInt());
        }
        assertThat(runtime.list()).isEmpty();
    }

    @Test
    void anExecdProcessSendsItsOwnListenerWithTheRunningContainersState() throws Exception {
        Path socket = directory.resolve("agent.sock");
        Path bundle = bundle("exec", socket, "sleep 60");
        Files.createSymbolicLink(bundle.resolve("rootfs/bin/sleep"), Path.of("busybox"));
        OciRuntime runtime = new OciRuntime(directory.resolve("state"));
        try (SeccompTestAgent agent = new SeccompTestAgent(socket)) {
            CompletableFuture<List<SeccompTestAgent.Delivery>> delivered = CompletableFuture.supplyAsync(() -> {
                SeccompTestAgent.Delivery first = agent.receive();
                Descriptors.close(first.listener()); // sleep makes no notified call
                SeccompTestAgent.Delivery exec = agent.receive();
                try {
                    SeccompTestAgent.answer(exec.listener(), 0, 0);
                } finally {
                    Descriptors.close(exec.listener());
                }
                return List.of(first, exec);
            });
            AtomicReference<ExitStatus> execStatus = new AtomicReference<>();
            try {
                runtime.run("exec", CreateOptions.of(bundle), process -> {
                    execStatus.set(runtime.exec("exec", new ExecRequest(Optional.empty(), List.of("sh", "-c",
                            "mkdir /dev/shm/made && test ! -e /dev/shm/made"), List.of(), Optional.empty(),
                            Optional.empty(), false, false, Optional.empty(), Optional.empty(), 0)));
                    process.kill(Libc.SIGKILL());
                    return process.waitFor();
                });
            } finally {
                if (!delivered.isDone()) {
                    agent.unblock();
                }
            }

            assertThat(execStatus.get()).isEqualTo(ExitStatus.exited(0));
            JsonNode first = JSON.readTree(delivered.join().get(0).message());
            JsonNode exec = JSON.readTree(delivered.join().get(1).message());
            assertThat(exec.get("state").get("status").asText()).isEqualTo("running");
            assertThat(exec.get("state").get("pid").asInt()).isEqualTo(first.get("pid").asInt());
            assertThat(exec.get("pid").asInt()).isPositive().isNotEqualTo(first.get("pid").asInt());
        }
        assertThat(runtime.list()).isEmpty();
    }

    @Test
    void notifyingWithoutAnAgentsSocketIsRefusedAtListenerPathBeforeAnythingIsCreated() throws IOException {
        OciRuntime runtime = new OciRuntime(directory.resolve("state"));
        Path missing = directory.resolve("no-agent.sock");

        assertThatThrownBy(() -> runtime.run("absent", CreateOptions.of(bundle("absent", missing, "true")), false))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("linux.seccomp.listenerPath")
                .hasMessageContaining("failed to connect with seccomp agent: " + missing + " does not exist (ENOENT)");
        assertThatThrownBy(() -> runtime.run("empty", CreateOptions.of(bundle("empty", Path.of(""), "true")), false))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("linux.seccomp.listenerPath")
                .hasMessageContaining("SCMP_ACT_NOTIFY needs the Unix socket of a seccomp agent");
        assertThat(runtime.list()).isEmpty();
        assertThat(Files.exists(directory.resolve("state/absent"))).isFalse();
    }

    /** {@return a busybox bundle running {@code script}, whose mkdir calls are notified to the agent at {@code socket}} */
    private Path bundle(String name, Path socket, String script) throws IOException {
        Path bundle = directory.resolve(name);
        BusyboxRootfs.create(bundle.resolve("rootfs"));
        ObjectNode config = (ObjectNode) JSON.readTree(OciJson.write(DefaultSpec.create()));
        ObjectNode process = (ObjectNode) config.get("process");
        process.put("terminal", false);
        process.set("args", JSON.valueToTree(List.of("sh", "-c", script)));
        ((ObjectNode) config.get("linux")).set("seccomp", JSON.valueToTree(Map.of(
                "defaultAction", "SCMP_ACT_ALLOW",
                "listenerPath", socket.toString(),
                "listenerMetadata", "from the test",
                "syscalls", List.of(Map.of("names", List.of("mkdir", "mkdirat"), "action", "SCMP_ACT_NOTIFY")))));
        Files.writeString(bundle.resolve("config.json"), JSON.writeValueAsString(config));
        return bundle;
    }
}
