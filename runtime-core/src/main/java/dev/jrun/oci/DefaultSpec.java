package dev.jrun.oci;

import dev.jrun.Container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The {@code config.json} {@code jrun spec} writes: runc's default, a shell on
 * a terminal in a read-only {@code rootfs} with the usual mounts, namespaces
 * and masked paths. Unlike runc's it names no capabilities, rlimits,
 * {@code noNewPrivileges} or device cgroup rules, which jrun does not apply yet
 * (and refuses rather than ignore).
 */
public final class DefaultSpec {

    private static final List<String> MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/sys/firmware", "/proc/scsi");
    private static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private DefaultSpec() {
    }

    /** {@return the default configuration} */
    public static Spec create() {
        Spec.Process process = new Spec.Process(true, null, new Spec.User(0L, 0L, null, null, null), List.of("sh"), null,
                List.of("PATH=" + Container.DEFAULT_PATH, "TERM=xterm"), "/", null, null, null, null, null, null,
                null, null, null);
        List<Spec.Mount> mounts = List.of(
                mount("/proc", "proc", "proc"),
                mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
                mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));
        List<Spec.LinuxNamespace> namespaces = List.of("pid", "network", "ipc", "uts", "mount", "cgroup").stream()
                .map(type -> new Spec.LinuxNamespace(type, null)).toList();
        Spec.Linux linux = new Spec.Linux(namespaces, null, null, null, null, null, null, null, null, null, null, null,
                MASKED_PATHS, READONLY_PATHS, null, null, null);
        return new Spec(State.OCI_VERSION, process, new Spec.Root("rootfs", true), "jrun", null, mounts, null, null,
                linux, null);
    }

    /**
     * Writes the default configuration to {@code config.json} in {@code bundle}.
     *
     * @throws IllegalStateException if there is a config.json already
     */
    public static Path write(Path bundle) {
        Path file = bundle.resolve("config.json");
        try {
            Files.writeString(file, OciJson.write(create()) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " exists already: remove it first");
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }

    private static Spec.Mount mount(String destination, String type, String source, String... options) {
        return new Spec.Mount(destination, type, source, options.length == 0 ? null : List.of(options), null, null);
    }
}
