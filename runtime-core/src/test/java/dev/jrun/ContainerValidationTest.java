package dev.jrun;

import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;
import dev.jrun.testing.FakeHosts;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A container description is checked when it is built or planned, before anything runs. */
@Tag("plan")
class ContainerValidationTest {

    @TempDir
    Path scratch;

    private static Container.Builder trueCommand() {
        return Container.builder().command("/bin/true");
    }

    private static ThrowingCallable planOf(FilesystemSetup filesystem) {
        return () -> Plans.asRoot(trueCommand().filesystem(filesystem));
    }

    @Test
    void aContainerNeedsACommand() {
        assertThatIllegalArgumentException().isThrownBy(() -> Plans.build(Container.builder(), FakeHosts.root()))
                .withMessageContaining("no command");
    }

    @Test
    void anEmptyCommandIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Container.builder().command(""))
                .withMessageContaining("no command");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad_name!", "-x", "x-", "bad name", "a..b", ""})
    void anInvalidHostnameIsRefused(String hostname) {
        assertThatIllegalArgumentException().isThrownBy(() -> Container.builder().hostname(hostname))
                .withMessageContaining("invalid hostname");
    }

    @Test
    void aHostnameOf65CharactersIsRefused() {
        String name = "a".repeat(32) + "." + "b".repeat(32);

        assertThatIllegalArgumentException().isThrownBy(() -> Container.builder().hostname(name))
                .withMessageContaining("invalid hostname");
    }

    @Test
    void aHostnameOf64CharactersIsAccepted() {
        String name = "a".repeat(31) + "." + "b".repeat(32);

        assertThatCode(() -> Container.builder().hostname(name)).doesNotThrowAnyException();
    }

    @Test
    void aMissingRootfsIsNamedWhenPlanning() {
        Path missing = scratch.resolve("no-such-rootfs");

        assertThatIllegalArgumentException().isThrownBy(planOf(FilesystemSetup.rootfs(missing)))
                .withMessageContaining(missing.toString());
    }

    @Test
    void aRelativeBindSourceIsRefused() {
        FilesystemSetup relative = FilesystemSetup.hostSandbox()
                .withBind(Path.of("relative/path"), "/x", FilesystemSetup.Access.READ_ONLY);

        assertThatIllegalArgumentException().isThrownBy(planOf(relative))
                .withMessageContaining("bind source must be an absolute path");
    }

    @Test
    void aMissingBindSourceIsRefused() {
        Path missing = scratch.resolve("missing");
        FilesystemSetup setup = FilesystemSetup.hostSandbox().withBind(missing, "/x", FilesystemSetup.Access.READ_ONLY);

        assertThatIllegalArgumentException().isThrownBy(planOf(setup))
                .withMessageContaining("does not exist")
                .withMessageContaining(missing.toString());
    }

    @Test
    void aRelativeMountTargetIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> FilesystemSetup.hostSandbox().withTmpfs("relative"))
                .withMessage("mount target must be an absolute path: relative");
    }

    @Test
    void namespacesWithoutANewMountNamespaceAreRefused() {
        Container.Builder builder = Container.builder().command("true").inheritHostname()
                .namespaces(NamespaceSet.isolated().without(Namespace.MOUNT));

        assertThatIllegalArgumentException().isThrownBy(builder::build).withMessageContaining("mount namespace");
    }

    @Test
    void aHostnameNeedsANewUtsNamespace() {
        Container.Builder builder = trueCommand().hostname("box")
                .namespaces(NamespaceSet.isolated().without(Namespace.UTS));

        assertThatIllegalArgumentException().isThrownBy(builder::build).withMessageContaining("UTS namespace");
    }

    @Test
    void aUserNamespaceWithoutMappingsIsRefused() {
        Container.Builder builder = trueCommand().namespaces(NamespaceSet.isolated().with(Namespace.USER));

        // Root's: any other user gets its own id mapped.
        assertThatIllegalArgumentException().isThrownBy(() -> builder.build(FakeHosts.root()))
                .withMessage("a new user namespace needs uid mappings");
    }

    @Test
    void aRelativeNamespacePathIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> NamespaceSet.isolated().joining(Namespace.NETWORK, Path.of("netns")))
                .withMessageContaining("must be absolute");
    }

    @Test
    void aTerminalSizeOfZeroIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Container.builder().terminalSize(0, 24))
                .withMessageContaining("invalid terminal size");
    }

    @Test
    void aNulByteInAStringForTheKernelIsRefusedNamingTheField() {
        FilesystemSetup sandbox = FilesystemSetup.hostSandbox();
        Map<String, ThrowingCallable> refused = new LinkedHashMap<>();
        refused.put("command argument 1 contains a NUL byte: \"a\\0b\"",
                () -> Container.builder().command("echo", "a\0b"));
        refused.put("environment variable name contains a NUL byte: \"A\\0\"",
                () -> Container.builder().environment("A\0", "b"));
        refused.put("environment variable A contains a NUL byte: \"b\\0\"",
                () -> Container.builder().environment("A", "b\0"));
        refused.put("sysctl name contains a NUL byte: \"net.ipv4.ip_forward\\0\"",
                () -> Container.builder().sysctl("net.ipv4.ip_forward\0", "1"));
        refused.put("sysctl net.ipv4.ip_forward contains a NUL byte: \"1\\0\"",
                () -> Container.builder().sysctl("net.ipv4.ip_forward", "1\0"));
        refused.put("mount target contains a NUL byte: \"/x\\0/etc\"", () -> sandbox.withTmpfs("/x\0/etc"));
        refused.put("mount source contains a NUL byte: \"t\\0\"",
                () -> new FilesystemSetup.Generic("tmpfs", "t\0", "/x", List.of()));
        refused.put("mount type contains a NUL byte: \"tmpfs\\0\"",
                () -> new FilesystemSetup.Generic("tmpfs\0", "t", "/x", List.of()));
        refused.put("mount option contains a NUL byte: \"size=1m\\0\"",
                () -> new FilesystemSetup.Generic("tmpfs", "t", "/x", List.of("size=1m\0")));
        refused.put("device path contains a NUL byte: \"/dev/x\\0\"", () -> new FilesystemSetup.Device("/dev/x\0",
                FilesystemSetup.DeviceType.FIFO, 0, 0, 0600, OptionalInt.empty(), OptionalInt.empty()));
        refused.put("masked path contains a NUL byte: \"/proc/kcore\\0\"", () -> sandbox.withMaskedPath("/proc/kcore\0"));
        refused.put("read-only path contains a NUL byte: \"/proc/sys\\0\"", () -> sandbox.withReadOnlyPath("/proc/sys\0"));
        refused.put("working directory contains a NUL byte: \"/tmp\\0\"", () -> sandbox.withWorkingDirectory("/tmp\0"));

        refused.forEach((message, call) -> assertThatIllegalArgumentException().isThrownBy(call).withMessage(message));
    }
}
