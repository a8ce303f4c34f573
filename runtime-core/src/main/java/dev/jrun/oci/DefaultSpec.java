package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Rlimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * The {@code config.json} {@code jrun spec} writes: runc's default, a shell on
 * a terminal in a read-only {@code rootfs} with the usual mounts and runc 1.1's
 * namespaces (pid, network, ipc, uts, mount: no cgroup namespace, which engines add),
 * the masked and read-only paths jrun's own containers get ({@link
 * FilesystemSetup#DEFAULT_MASKED_PATHS}), runc's three capabilities (audit_write,
 * kill, net_bind_service), 1024 open files, {@code noNewPrivileges}, and a device
 * cgroup denying every device (to which jrun, as runc, adds the devices every
 * container needs).
 */
public final class DefaultSpec {

    private static final BigInteger OPEN_FILES = BigInteger.valueOf(1024);

    private DefaultSpec() {
    }

    /** {@return the default configuration} */
    static Spec create() {
        Capabilities capabilities = Capabilities.runcSpec();
        Spec.Process process = new Spec.Process(true, null, new Spec.User(0L, 0L, null, null, null), List.of("sh"), null,
                List.of("PATH=" + Container.DEFAULT_PATH, "TERM=xterm"), "/",
                new Spec.Capabilities(names(capabilities.bounding()), names(capabilities.effective()), null,
                        names(capabilities.permitted()), null),
                List.of(new Spec.Rlimit(Rlimit.Type.NOFILE.ociName(), OPEN_FILES, OPEN_FILES)), true, null, null, null,
                null, null, null);
        List<Spec.Mount> mounts = List.of(
                mount("/proc", "proc", "proc"),
                mount("/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k"),
                mount("/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"),
                mount("/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"),
                mount("/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev"),
                mount("/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro"),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro"));
        List<Spec.LinuxNamespace> namespaces = List.of("pid", "network", "ipc", "uts", "mount").stream()
                .map(type -> new Spec.LinuxNamespace(type, null)).toList();
        Spec.DeviceRule denyAll = new Spec.DeviceRule(false, null, null, null, "rwm");
        Spec.Resources resources = new Spec.Resources(List.of(denyAll), null, null, null, null, null, null, null, null);
        Spec.Linux linux = new Spec.Linux(namespaces, null, null, null, null, null, resources, null, null, null, null,
                null, FilesystemSetup.DEFAULT_MASKED_PATHS, FilesystemSetup.DEFAULT_READ_ONLY_PATHS, null, null, null);
        return new Spec(State.OCI_VERSION, process, new Spec.Root("rootfs", true), "jrun", null, mounts, null, null,
                linux, null);
    }

    /** {@return the default configuration as config.json holds it} */
    public static String json() {
        return OciJson.write(create());
    }

    /**
     * Writes the default configuration to {@code config.json} in {@code bundle}.
     *
     * @throws IllegalStateException if there is a config.json already
     */
    public static Path write(Path bundle) {
        Path file = bundle.resolve("config.json");
        try {
            Files.writeString(file, json() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
            return file;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " exists already: remove it first");
        } catch (IOException e) {
            throw new UncheckedIOException("write " + file, e);
        }
    }

    private static List<String> names(Set<Capability> capabilities) {
        return capabilities.stream().map(Capability::ociName).toList();
    }

    private static Spec.Mount mount(String destination, String type, String source, String... options) {
        return new Spec.Mount(destination, type, source, options.length == 0 ? null : List.of(options), null, null);
    }
}
