package dev.jrun.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
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
    void aDryRunNeedsNoRoot() {
        JrunCli.Result result = asNobody.run("run", "--dry-run", "--", "true");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("clone(");
    }
}
