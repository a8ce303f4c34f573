package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker's {@code run} flags for an image: {@code --entrypoint} (replaced, cleared),
 * {@code --read-only} with {@code --tmpfs}, and a bad {@code --tmpfs} option refused by name, on a
 * busybox image whose Entrypoint is {@code echo entry} and Cmd {@code from the Cmd}.
 */
class ImageRunFlagsTest {

    private static final String IMAGE = "cli-test/busybox:docker";

    @TempDir
    Path directory;
    private Path storage;
    private JrunCli jrun;

    @BeforeEach
    void importImage() throws Exception {
        HostSystem.assumeRoot("mounts an overlay root and starts containers");
        BusyboxImageArchives.writeTo(directory, """
                {"Env":["PATH=/bin"],"Entrypoint":["echo","entry"],"Cmd":["from the Cmd"]}""");
        storage = directory.resolve("storage");
        jrun = new JrunCli(List.of("env", "JRUN_STORAGE=" + storage), JrunCli.asThisUser().classpath());
        jrun.succeeds("import", directory.resolve("docker.tar").toString());
    }

    @AfterEach
    void noContainerRootIsLeft() throws IOException {
        ImageStorageLeftovers.assertNoneIn(storage, directory);
    }

    @Test
    void anEntrypointGivenReplacesTheImagesAndDropsItsCmd() {
        assertThat(jrun.succeeds("run", IMAGE).stdout()).as("the image's own").isEqualTo("entry from the Cmd\n");

        assertThat(jrun.succeeds("run", "--entrypoint", "sh", IMAGE, "-c", "echo replaced").stdout())
                .isEqualTo("replaced\n");
        assertThat(jrun.succeeds("run", "--entrypoint", "echo", IMAGE).stdout()).as("no Cmd").isEqualTo("\n");
    }

    @Test
    void anEmptyEntrypointClearsItAndTheArgumentsAreTheCommand() {
        assertThat(jrun.succeeds("run", "--entrypoint", "", IMAGE, "echo", "cleared").stdout()).isEqualTo("cleared\n");

        JrunCli.Result nothing = jrun.run("run", "--entrypoint=", IMAGE);
        assertThat(nothing.exitCode()).as(nothing.stderr()).isEqualTo(125);
        assertThat(nothing.stderr()).contains("no command to run in docker.io/" + IMAGE + ": its Entrypoint is cleared");
    }

    @Test
    void aReadOnlyRootRefusesWritesWhileATmpfsTakesThem() {
        String script = "echo x > /written && echo wrote /; echo y > /run/y && cat /run/y; grep ' /run ' /proc/mounts";

        JrunCli.Result readOnly = jrun.succeeds("run", "--read-only", "--tmpfs", "/run:size=1m",
                "--entrypoint", "sh", IMAGE, "-c", script);
        JrunCli.Result writable = jrun.succeeds("run", "--tmpfs", "/run", "--entrypoint", "sh", IMAGE, "-c", script);

        assertThat(readOnly.stderr()).contains("/written: Read-only file system");
        assertThat(readOnly.stdoutLines()).first().isEqualTo("y");
        assertThat(readOnly.stdoutLines().get(1)).startsWith("tmpfs /run tmpfs rw,nosuid,nodev,noexec")
                .contains("size=1024k");
        assertThat(writable.stdoutLines()).first().isEqualTo("wrote /");
    }

    @Test
    void aTmpfsOptionTmpfsDoesNotKnowIsRefusedByName() {
        JrunCli.Result result = jrun.run("run", "--tmpfs", "/run:size=1m,nosiud", IMAGE);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--tmpfs").contains("tmpfs /run: \"nosiud\" is not a tmpfs option");
        assertThat(result.stdout()).isEmpty();
    }
}
