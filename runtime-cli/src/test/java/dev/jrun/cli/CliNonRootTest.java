package dev.jrun.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.oci.DefaultSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Run by an unprivileged user, jrun starts rootless containers: root inside a user namespace, nobody outside. */
class CliNonRootTest {

    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final String NOBODY = "65534";

    @TempDir
    Path copies;

    private JrunCli asNobody;

    @BeforeEach
    void runAsNobody() {
        HostSystem.assumeRoot("only root can switch to the unprivileged user nobody");
        assumeTrue(Files.isExecutable(SETPRIV), "needs " + SETPRIV + " (util-linux) to drop to user nobody");
        asNobody = new JrunCli(List.of(SETPRIV.toString(), "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"),
                ReadableClasspath.copyInto(copies));
    }

    @Test
    void theCommandIsRootInsideAndNobodyOnTheHost() {
        JrunCli.Result result = asNobody.run("run", "--", "sh", "-c", "id -u; cat /proc/self/uid_map");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().toList()).first().isEqualTo("0");
        assertThat(result.stdout().lines().skip(1).findFirst().orElseThrow().trim().split("\\s+"))
                .containsExactly("0", NOBODY, "1");
    }

    @Test
    void aNamespacePathTheUserMayNotOpenIsRefusedWithTheRealErrnoAndNothingIsCreated() throws IOException {
        Path rootOnly = Files.createDirectory(copies.resolve("root-only"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path namespace = Files.createFile(rootOnly.resolve("net"));
        Path bundle = Files.createDirectories(copies.resolve("bundle/rootfs")).getParent();
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(DefaultSpec.json());
        ArrayNode namespaces = (ArrayNode) config.get("linux").get("namespaces");
        int network = 0;
        while (!namespaces.get(network).get("type").asText().equals("network")) {
            network++;
        }
        ((ObjectNode) namespaces.get(network)).put("path", namespace.toString());
        Files.writeString(bundle.resolve("config.json"), config.toPrettyString());
        Path state = copies.resolve("state");

        JrunCli.Result result = asNobody.run("--root", state.toString(), "create", "-b", bundle.toString(), "x");

        assertThat(result.exitCode()).isEqualTo(FailureExit.OCI.code());
        assertThat(result.stderr()).isEqualTo("jrun: " + bundle.resolve("config.json") + ": linux.namespaces["
                + network + "].path: open net namespace " + namespace + ": EACCES (Permission denied)\n");
        assertThat(state).doesNotExist();
    }

    @Test
    void aDryRunNeedsNoRoot() {
        JrunCli.Result result = asNobody.run("run", "--dry-run", "--", "true");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("clone(");
    }
}
