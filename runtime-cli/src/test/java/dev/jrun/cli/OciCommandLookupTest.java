package dev.jrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container's command is looked up in its root when it is created, as runc does (root,
 * busybox): {@code create} fails with runc's message and 127 or 126, which podman reads, and leaves
 * no container behind; a symlink in the root resolves inside it, never on the host.
 */
class OciCommandLookupTest {

    @RegisterExtension
    final OciCliExtension oci = new OciCliExtension();
    private final Path work = oci.work();
    private final OciCli jrun = oci.jrun();

    @Test
    void aCommandInNoDirectoryOfPathFailsCreateWith127AndLeavesNoContainer() {
        Path bundle = BusyboxBundle.create(work.resolve("missing"), "nosuchcmd").write();

        OciCli.Result create = jrun.run("create", "-b", bundle.toString(), "missing");

        assertThat(create.exitCode()).as(create.stderr()).isEqualTo(FailureExit.COMMAND_NOT_FOUND);
        assertThat(create.stderr()).isEqualTo("jrun: exec: \"nosuchcmd\": executable file not found in $PATH\n");
        assertThat(jrun.root().resolve("missing")).doesNotExist();
    }

    @Test
    void aFileWithoutExecutePermissionFailsCreateWith126() throws IOException {
        BusyboxBundle created = BusyboxBundle.create(work.resolve("denied"), "/bin/notes");
        Files.writeString(created.directory().resolve("rootfs/bin/notes"), "#!/bin/sh\necho not run\n");
        Path bundle = created.write();

        OciCli.Result run = jrun.run("run", "-b", bundle.toString(), "denied");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(FailureExit.COMMAND_NOT_EXECUTABLE);
        assertThat(run.stderr()).isEqualTo("jrun: exec: \"/bin/notes\": permission denied\n");
        assertThat(run.stdout()).isEmpty();
        assertThat(jrun.root().resolve("denied")).doesNotExist();
    }

    /**
     * The root's {@code /bin/tool} is an absolute symlink to a host executable: followed on the host
     * it would be found; resolved in the root it is there only once the root has that file too.
     */
    @Test
    void anAbsoluteSymlinkInTheRootIsResolvedInsideIt() throws IOException {
        Path hostTool = Files.createDirectories(work.resolve("host-only")).resolve("tool");
        Files.writeString(hostTool, "#!/bin/sh\necho tool ran\n");
        Files.setPosixFilePermissions(hostTool, PosixFilePermissions.fromString("rwxr-xr-x"));
        BusyboxBundle created = BusyboxBundle.create(work.resolve("planted"), "tool");
        Path rootfs = created.directory().resolve("rootfs");
        Files.createSymbolicLink(rootfs.resolve("bin/tool"), hostTool);
        Path bundle = created.write();

        OciCli.Result hostFileOnly = jrun.run("create", "-b", bundle.toString(), "planted");
        Path inRoot = rootfs.resolve(hostTool.toString().substring(1));
        Files.createDirectories(inRoot.getParent());
        Files.copy(hostTool, inRoot);
        OciCli.Result rootFileToo = jrun.run("run", "-b", bundle.toString(), "planted");

        assertThat(hostFileOnly.exitCode()).as(hostFileOnly.stderr()).isEqualTo(FailureExit.COMMAND_NOT_FOUND);
        assertThat(hostFileOnly.stderr()).isEqualTo("jrun: exec: \"tool\": executable file not found in $PATH\n");
        assertThat(rootFileToo.exitCode()).as(rootFileToo.stderr()).isZero();
        assertThat(rootFileToo.stdout()).isEqualTo("tool ran\n");
    }

    @Test
    void aRelativePathIsLookedUpFromTheWorkingDirectory() throws IOException {
        BusyboxBundle created = BusyboxBundle.create(work.resolve("relative"), "./hello");
        created.process().put("cwd", "/root");
        Path script = Files.writeString(created.directory().resolve("rootfs/root/hello"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path bundle = created.write();

        OciCli.Result run = jrun.run("run", "-b", bundle.toString(), "relative");
        created.process().put("cwd", "/tmp");
        created.write();
        OciCli.Result elsewhere = jrun.run("create", "-b", bundle.toString(), "relative");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("hello\n");
        assertThat(elsewhere.exitCode()).isEqualTo(FailureExit.COMMAND_NOT_FOUND);
        assertThat(elsewhere.stderr()).isEqualTo("jrun: exec: \"./hello\": stat /tmp/./hello: no such file or directory\n");
    }
}
