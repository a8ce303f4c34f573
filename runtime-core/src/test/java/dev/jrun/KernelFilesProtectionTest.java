package dev.jrun;

import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.testing.BusyboxRootfs;
import dev.jrun.testing.ContainerRun;
import dev.jrun.testing.Mountinfo;
import dev.jrun.testing.RequiresRoot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Container root against the kernel's files, for real: the global kernel parameters in /proc/sys
 * cannot be written (an attacker who sets {@code kernel.core_pattern} to a pipe runs code as the
 * host's root at the next crash), /proc's revealing files are masked and /sys is read-only, in an
 * image's root and in the host sandbox, also when it runs as the host's root. The kernel parameters
 * the container itself sets still work.
 */
class KernelFilesProtectionTest {

    private static final Path CORE_PATTERN = Path.of("/proc/sys/kernel/core_pattern");

    /** The containers jrun makes itself; an OCI bundle has exactly what its config.json says. */
    enum Kind { ROOTFS, HOST_SANDBOX, HOST_SANDBOX_AS_HOST_ROOT }

    @TempDir
    Path directory;

    @BeforeAll
    static void needsRoot() {
        RequiresRoot.assumeRootForContainers();
    }

    private Container.Builder container(Kind kind, String script) {
        Container.Builder builder = Container.builder().command("sh", "-c", script);
        return switch (kind) {
            case ROOTFS -> builder.filesystem(FilesystemSetup.rootfs(BusyboxRootfs.create(directory)));
            case HOST_SANDBOX -> builder;
            case HOST_SANDBOX_AS_HOST_ROOT -> builder.hostRoot(true);
        };
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void corePatternCannotBeSetAndTheHostsStaysAsItWas(Kind kind) throws IOException {
        String before = Files.readString(CORE_PATTERN);
        try {
            ContainerRun run = ContainerRun.run(container(kind, "echo '|/tmp/evil' > /proc/sys/kernel/core_pattern"));

            assertThat(run.status().code()).isNotZero();
            assertThat(run.stderr()).contains("Read-only file system");
            assertThat(Files.readString(CORE_PATTERN)).isEqualTo(before);
        } finally {
            if (!Files.readString(CORE_PATTERN).equals(before)) {
                Files.writeString(CORE_PATTERN, before);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDefaultMaskedPathsAreEmptyMountsOverTheKernelsFiles(Kind kind) {
        List<String> present = presentOnThisHost(FilesystemSetup.DEFAULT_MASKED_PATHS);
        assumeFalse(present.isEmpty(), "this kernel has none of the masked paths");
        StringBuilder script = new StringBuilder();
        for (String path : present) {
            script.append("echo '== ").append(path).append("'; if [ -d ").append(path).append(" ]; then ls -A ")
                    .append(path).append("; else cat ").append(path).append("; fi; ");
        }
        script.append("echo '== mountinfo'; cat /proc/self/mountinfo");

        ContainerRun run = ContainerRun.run(container(kind, script.toString()));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        Map<String, String> sections = sections(run.stdout());
        for (String path : present) {
            assertThat(sections.get(path)).as("what %s shows", path).isEmpty();
            assertThat(Mountinfo.optionsOfMountOn(sections.get("mountinfo"), path)).as("a mount over %s", path).isPresent();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDefaultReadOnlyPathsAndSysAreMountedReadOnly(Kind kind) {
        List<String> paths = new ArrayList<>(presentOnThisHost(FilesystemSetup.DEFAULT_READ_ONLY_PATHS));
        paths.add("/sys");

        ContainerRun run = ContainerRun.run(container(kind, "cat /proc/self/mountinfo"));

        for (String path : paths) {
            assertThat(Mountinfo.optionsOfMountOn(run.stdout(), path)).as("the mount on %s", path)
                    .hasValueSatisfying(options -> assertThat(options).contains("ro"));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aKernelSettingInSysCannotBeWritten(Kind kind) throws IOException {
        Path setting = rootWritableFile(Path.of("/sys/kernel"));
        // Truncating writes nothing: were /sys writable, the setting would still be unchanged.
        ContainerRun run = ContainerRun.run(container(kind, ": > " + setting));

        assertThat(run.status().code()).isNotZero();
        assertThat(run.stderr()).contains("Read-only file system");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void sysrqTriggerCannotBeWritten(Kind kind) {
        assumeTrue(Files.exists(Path.of("/proc/sysrq-trigger")), "this kernel has no /proc/sysrq-trigger (no CONFIG_MAGIC_SYSRQ)");
        // Opening it for writing is the attack; nothing written, no request even if it succeeded.
        ContainerRun run = ContainerRun.run(container(kind, ": > /proc/sysrq-trigger"));

        assertThat(run.status().code()).isNotZero();
        assertThat(run.stderr()).contains("Read-only file system");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theKernelParametersOfTheContainersOwnNamespacesAreStillSet(Kind kind) throws IOException {
        Path forwarding = Path.of("/proc/sys/net/ipv4/ip_forward");
        Path sharedMemory = Path.of("/proc/sys/kernel/shmmax");
        String hostForwarding = Files.readString(forwarding);
        String hostSharedMemory = Files.readString(sharedMemory);
        String containerForwarding = hostForwarding.strip().equals("1") ? "0" : "1";

        ContainerRun run = ContainerRun.run(container(kind, "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax")
                .sysctl("net.ipv4.ip_forward", containerForwarding)
                .sysctl("kernel.shmmax", "123456789"));

        assertThat(run.status()).as(run.stderr()).isEqualTo(ExitStatus.exited(0));
        assertThat(run.stdoutLines()).containsExactly(containerForwarding, "123456789");
        assertThat(Files.readString(forwarding)).isEqualTo(hostForwarding);
        assertThat(Files.readString(sharedMemory)).isEqualTo(hostSharedMemory);
    }

    private static List<String> presentOnThisHost(List<String> paths) {
        return paths.stream().filter(path -> Files.exists(Path.of(path))).toList();
    }

    /** {@return the text after each {@code == NAME} line, by name} */
    private static Map<String, String> sections(String output) {
        Map<String, String> sections = new LinkedHashMap<>();
        String name = null;
        StringBuilder text = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith("== ")) {
                if (name != null) {
                    sections.put(name, text.toString());
                }
                name = line.substring(3);
                text.setLength(0);
            } else if (!line.isEmpty()) {
                text.append(line).append('\n');
            }
        }
        if (name != null) {
            sections.put(name, text.toString());
        }
        return sections;
    }

    /** {@return a regular file directly in {@code directory} that root may write, such as /sys/kernel/profiling} */
    private static Path rootWritableFile(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            Optional<Path> writable = files.filter(Files::isRegularFile)
                    .filter(KernelFilesProtectionTest::ownerMayWrite)
                    .sorted()
                    .findFirst();
            assumeTrue(writable.isPresent(), directory + " has no file root may write");
            return writable.get();
        }
    }

    private static boolean ownerMayWrite(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
