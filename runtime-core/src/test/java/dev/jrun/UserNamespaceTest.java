package dev.jrun;

import dev.jrun.model.ContainerProcess;
import dev.jrun.model.IdMapping;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.model.Stdio;
import dev.jrun.model.User;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.jrun.Runs.assumeRoot;
import static dev.jrun.Runs.run;
import static dev.jrun.Runs.shell;
import static org.assertj.core.api.Assertions.assertThat;

/** Containers in user namespaces whose maps the launcher writes at the gate. */
class UserNamespaceTest {

    private static final List<IdMapping> RANGE = List.of(new IdMapping(0, 200_000, 65_536));

    @BeforeEach
    void needsRoot() {
        assumeRoot("writing uid maps of other host ids than one's own");
    }

    private static Container.Builder mapped(String script) {
        return shell(script).namespaces(NamespaceSet.isolated().with(Namespace.USER))
                .uidMappings(RANGE).gidMappings(RANGE);
    }

    @Test
    void containerRootIsAnUnprivilegedHostUser() throws IOException {
        Container container = mapped("id -u; cat /proc/self/uid_map /proc/self/gid_map; stat -c %u /etc/shadow; read line")
                .stdin(Stdio.PIPE).stdout(Stdio.PIPE).build();
        try (ContainerProcess process = container.start()) {
            String hostView = Files.readAllLines(Path.of("/proc", Integer.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow();
            assertThat(hostView).isEqualTo("Uid:\t200000\t200000\t200000\t200000");
            try (OutputStream stdin = process.stdin()) {
                stdin.write('\n');
            }
            assertThat(Runs.read(process.stdout()).replaceAll(" +", " ")).isEqualTo(
                    "0\n 0 200000 65536\n 0 200000 65536\n65534\n");
            assertThat(process.waitFor().code()).isZero();
        }
    }

    @Test
    void aMappedUserRunsAsItsHostCounterpart() {
        Runs.Result result = run(mapped("id -u; id -g").user(User.of(1000, 1000)));
        assertThat(result.stdout()).isEqualTo("1000\n1000\n");
    }

    @Test
    void theCapabilitiesApplyInsideTheUserNamespace() {
        String status = run(mapped("grep -E 'CapEff|CapBnd' /proc/self/status")).stdout();
        assertThat(status).isEqualTo("CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\n");
    }

    @Test
    void aRemappedNamespaceHasANonIdentityMap() {
        Runs.Result result = run(shell("cat /proc/self/uid_map; id -u").remappedUserNamespace());
        String[] map = result.stdout().lines().findFirst().orElseThrow().trim().split("\\s+");
        assertThat(map[0]).isEqualTo("0");
        assertThat(Long.parseLong(map[1])).isGreaterThanOrEqualTo(100_000);
        assertThat(map[2]).isEqualTo("65536");
        assertThat(result.stdout()).endsWith("\n0\n");
    }
}
