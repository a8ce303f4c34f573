package dev.jrun.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Run by an unprivileged user, jrun refuses to start a container and says why, in one line. */
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
    void runIsRefusedWithAClearMessage() {
        JrunCli.Result result = asNobody.run("run", "--", "true");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderrLines()).singleElement().asString().startsWith("jrun: ").contains("root");
    }

    @Test
    void aDryRunNeedsNoRoot() {
        JrunCli.Result result = asNobody.run("run", "--dry-run", "--", "true");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("clone(");
    }
}
