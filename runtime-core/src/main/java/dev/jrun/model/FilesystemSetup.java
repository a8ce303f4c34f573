package dev.jrun.model;

import dev.jrun.internal.flags.MountOptions;
import dev.jrun.internal.flags.TmpfsOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

import static dev.jrun.internal.libc.CStrings.requireNoNul;

/**
 * What a container sees as its filesystem: its root, what is mounted on it,
 * its devices, and the directory its command starts in. Immutable; every
 * {@code with} method returns a new setup.
 *
 * <p>Three starting points are offered:
 * <ul>
 *   <li>{@link #hostSandbox()}: the host's own {@code /}, read-only all the way
 *       down, with a fresh {@code /proc}, a minimal {@code /dev}, a read-only
 *       {@code /sys}, an empty private {@code /tmp} and empty {@code /run} and
 *       {@code /var/run}, which hide the host's service sockets. No image is needed.</li>
 *   <li>{@link #rootfs(Path)}: a directory holding an unpacked image, made the
 *       container's {@code /} with {@code pivot_root}; the host's root is
 *       detached and gone.</li>
 *   <li>{@link #unchanged()}: no setup at all, for a command that joins the
 *       mount namespace of a running container.</li>
 * </ul>
 *
 * <p>{@link #joiningBeforePivotRoot(Path)} is no setup either, for a command that joins a container
 * while it waits before {@code pivot_root} (OCI's createContainer hooks).
 *
 * <pre>{@code
 * FilesystemSetup.hostSandbox()
 *         .withBind(Path.of("/home/me/project"), "/work", Access.READ_WRITE)
 *         .withWorkingDirectory("/work");
 * }</pre>
 *
 * <p>Both start with runc's and Docker's protection of the kernel's files:
 * {@link #DEFAULT_MASKED_PATHS} hidden and {@link #DEFAULT_READ_ONLY_PATHS}
 * read-only, so that container root cannot set a global kernel parameter such as
 * {@code kernel.core_pattern}; {@link #withUnmasked} and {@link #withAllUnmasked()}
 * lift that, as podman's {@code --security-opt unmask=} does. The kernel
 * parameters a container sets ({@link dev.jrun.Container.Builder#sysctl}) are written
 * before.
 *
 * <p>Every path inside the container (a mount target, a device, a masked
 * path) is resolved by the kernel inside the root, when the container is set
 * up and with the mounts before it in place, and mounted through a descriptor:
 * a symlink in an image or in a volume, even one swapped in while the
 * container starts, can never redirect a mount or a new file onto the host.
 * A path, mount source or option with a NUL byte is refused
 * ({@link IllegalArgumentException} naming the field): the kernel would
 * silently cut it short there.
 */
public final class FilesystemSetup {

    /**
     * The paths {@link #hostSandbox()} and {@link #rootfs(Path)} hide (Docker's and runc's list):
     * kernel memory, keys, timers and firmware, which tell a container about the host or let it
     * act on its hardware.
     */
    public static final List<String> DEFAULT_MASKED_PATHS = List.of("/proc/acpi", "/proc/asound", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/powercap");

    /**
     * The paths {@link #hostSandbox()} and {@link #rootfs(Path)} make read-only (Docker's and runc's
     * list): {@code /proc/sys}, where the global kernel parameters are, {@code /proc/sysrq-trigger}
     * and the files that configure buses, filesystems and interrupts.
     */
    public static final List<String> DEFAULT_READ_ONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq",
            "/proc/sys", "/proc/sysrq-trigger");

    /** Where a host's services put their sockets: the host sandbox mounts an empty tmpfs on each. */
    private static final List<String> SERVICE_DIRECTORIES = List.of("/run", "/var/run");

    /** Whether a mount can be written through. */
    public enum Access { READ_ONLY, READ_WRITE }

    /** A mount added on top of the root. */
    public sealed interface Mount {
        /** {@return the absolute path inside the container} */
        String target();
    }

    /**
     * A host file or directory made visible inside the container.
     *
     * @param source absolute host path
     * @param target absolute path inside the container
     * @param access read-only or read-write
     */
    public record Bind(Path source, String target, Access access) implements Mount {
    }

    /**
     * An empty in-memory filesystem.
     *
     * @param target absolute path inside the container
     */
    public record Tmpfs(String target) implements Mount {
    }

    /**
     * A mount as {@code mount(8)} and OCI's {@code config.json} describe it: a filesystem type,
     * a source and options such as {@code ro}, {@code nosuid}, {@code rbind}, {@code rprivate},
     * {@code rro} or {@code mode=755} (options jrun does not know as flags go to the filesystem
     * as data). A bind mount ({@code bind} or {@code rbind} among the options) takes an absolute
     * host path as its source. The type {@code cgroup} mounts the host's cgroup hierarchies, as
     * the container's cgroup namespace shows them.
     *
     * @param type    the filesystem type, such as {@code tmpfs}, {@code proc} or {@code bind}
     * @param source  what to mount: a host path for a bind mount, else a device or a dummy name
     * @param target  absolute path inside the container
     * @param options mount options, in order
     */
    public record Generic(String type, String source, String target, List<String> options) implements Mount {
        /**
         * Checks the mount.
         *
         * @throws IllegalArgumentException for an option jrun recognises but does not support yet,
         *                                  such as {@code idmap}, or a NUL byte in any of the strings
         */
        public Generic {
            requireNoNul("mount type", Objects.requireNonNull(type, "type"));
            requireNoNul("mount source", Objects.requireNonNull(source, "source"));
            options = List.copyOf(options);
            options.forEach(option -> requireNoNul("mount option", option));
            MountOptions.parse(type, options);
        }
    }

    /** The kinds of device node a container can be given. */
    public enum DeviceType {
        /** A character device, such as {@code /dev/fuse}. */
        CHARACTER,
        /** A block device. */
        BLOCK,
        /** A named pipe (FIFO); it has no device numbers. */
        FIFO
    }

    /**
     * A device node created in the container with {@code mknod} (jrun runs as root).
     *
     * @param path     absolute path inside the container
     * @param type     character, block or FIFO
     * @param major    the device's major number
     * @param minor    the device's minor number
     * @param mode     the permission bits, such as {@code 0666}
     * @param uid      the owner, or empty to keep root
     * @param gid      the group, or empty to keep root
     */
    public record Device(String path, DeviceType type, long major, long minor, int mode,
                         OptionalInt uid, OptionalInt gid) {

        /** Device numbers are unsigned 32-bit values for {@code makedev}. */
        public static final long MAX_DEVICE_NUMBER = 0xFFFF_FFFFL;

        public Device {
            requireAbsolute("device path", path);
            Objects.requireNonNull(type, "type");
            if (major < 0 || minor < 0 || major > MAX_DEVICE_NUMBER || minor > MAX_DEVICE_NUMBER) {
                throw new IllegalArgumentException("device " + path + ": numbers out of range: " + major + ":" + minor);
            }
            if ((mode & ~07777) != 0) {
                throw new IllegalArgumentException("device " + path + ": mode " + Integer.toOctalString(mode)
                        + " has bits beyond the permission bits");
            }
        }
    }

    private final Optional<Path> rootfs;
    private final Optional<RootOverlay> rootOverlay;
    private final boolean changes;
    private final boolean readOnlyRoot;
    private final boolean proc;
    private final boolean dev;
    private final boolean sys;
    private final boolean defaultDevices;
    private final List<Mount> mounts;
    private final List<Device> devices;
    private final List<String> maskedPaths;
    private final List<String> readOnlyPaths;
    private final Optional<String> rootPropagation;
    private final String workingDirectory;
    private final boolean joinsBeforePivotRoot;

    private FilesystemSetup(Fields f) {
        this.rootfs = f.rootfs;
        this.rootOverlay = f.rootOverlay;
        this.changes = f.changes;
        this.readOnlyRoot = f.readOnlyRoot;
        this.proc = f.proc;
        this.dev = f.dev;
        this.sys = f.sys;
        this.defaultDevices = f.defaultDevices;
        this.mounts = List.copyOf(f.mounts);
        this.devices = List.copyOf(f.devices);
        this.maskedPaths = List.copyOf(f.maskedPaths);
        this.readOnlyPaths = List.copyOf(f.readOnlyPaths);
        this.rootPropagation = f.rootPropagation;
        this.workingDirectory = f.workingDirectory;
        this.joinsBeforePivotRoot = f.joinsBeforePivotRoot;
    }

    /**
     * {@return a sandbox of the host: its root read-only, fresh /proc, /dev, /sys, an empty tmpfs
     * /tmp, empty tmpfs on /run and /var/run (once, when /var/run leads to /run), and the
     * default masked and read-only paths}
     *
     * <p>Started by root, a container with this filesystem also gets a user namespace whose root
     * is an unprivileged host user, unless {@link dev.jrun.Container.Builder#hostRoot} says otherwise.
     */
    public static FilesystemSetup hostSandbox() {
        Fields f = withKernelFilesProtected();
        f.readOnlyRoot = true;
        f.mounts.add(new Tmpfs("/tmp"));
        f.mounts.addAll(emptyServiceDirectories());
        return new FilesystemSetup(f);
    }

    /**
     * {@return a container rooted at an unpacked image, writable, with /proc, /dev, a read-only
     * /sys, and the default masked and read-only paths}
     *
     * @param directory the root filesystem; it must exist when the container starts
     */
    public static FilesystemSetup rootfs(Path directory) {
        Fields f = withKernelFilesProtected();
        f.rootfs = Optional.of(directory);
        return new FilesystemSetup(f);
    }

    /**
     * {@return a container rooted at {@code overlay}, which the container mounts on
     * {@code mountPoint} inside its own mount namespace (and user namespace, where it has one), as
     * {@link #rootfs(Path)} is otherwise: the host never sees the mount, and it goes with the
     * container} Rootless, this is how a root from an image is an overlay: an unprivileged user
     * may mount overlayfs only in a user namespace of its own (Linux 5.11 or later).
     *
     * @param mountPoint an empty directory of the host, the root's path as the container's mount
     *                   namespace has it
     */
    public static FilesystemSetup overlayRoot(Path mountPoint, RootOverlay overlay) {
        Fields f = withKernelFilesProtected();
        f.rootfs = Optional.of(mountPoint);
        f.rootOverlay = Optional.of(overlay);
        return new FilesystemSetup(f);
    }

    private static Fields withKernelFilesProtected() {
        Fields f = new Fields();
        f.maskedPaths.addAll(DEFAULT_MASKED_PATHS);
        f.readOnlyPaths.addAll(DEFAULT_READ_ONLY_PATHS);
        return f;
    }

    /** The tmpfs over each service directory the host has, skipping one that leads into another. */
    private static List<Mount> emptyServiceDirectories() {
        List<Mount> mounts = new ArrayList<>();
        List<Path> covered = new ArrayList<>();
        for (String directory : SERVICE_DIRECTORIES) {
            Optional<Path> real = realDirectory(Path.of(directory));
            if (real.isPresent() && covered.stream().noneMatch(real.get()::startsWith)) {
                covered.add(real.get());
                mounts.add(emptyServiceDirectory(directory));
            }
        }
        return mounts;
    }

    private static Mount emptyServiceDirectory(String directory) {
        return new Generic("tmpfs", "tmpfs", directory, List.of("nosuid", "nodev", "mode=755"));
    }

    private static Optional<Path> realDirectory(Path path) {
        if (!Files.isDirectory(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(path.toRealPath());
        } catch (IOException e) {
            // Hidden all the same: when in doubt, a directory of sockets stays out of sight.
            return Optional.of(path);
        }
    }

    /**
     * {@return no filesystem setup: the command sees the mount namespace it runs in (typically a
     * running container's, joined) as it is, and only changes to the working directory}
     */
    public static FilesystemSetup unchanged() {
        Fields f = new Fields();
        f.changes = false;
        f.proc = false;
        f.dev = false;
        f.sys = false;
        return new FilesystemSetup(f);
    }

    /**
     * {@return no filesystem setup, for a command that joins the mount namespace of a container
     * waiting before it enters its root ({@link dev.jrun.Container.Builder#beforePivotRoot}), as runc
     * runs OCI createContainer hooks: the command's root is the host's filesystem as that namespace
     * has it, so its path and the programs it runs are the host's, and the container's root, with
     * the container's mounts, is at its own path there and is the working directory}
     *
     * <p>It takes no working directory: the container's root is it.
     *
     * @param rootfs the container's root directory, as its {@link #rootfs(Path)} names it
     */
    public static FilesystemSetup joiningBeforePivotRoot(Path rootfs) {
        Fields f = new Fields(unchanged());
        f.rootfs = Optional.of(rootfs);
        f.joinsBeforePivotRoot = true;
        return new FilesystemSetup(f);
    }

    /** {@return this setup with the root mounted read-only (or writable)} */
    public FilesystemSetup withReadOnlyRoot(boolean readOnly) {
        return with(f -> f.readOnlyRoot = readOnly);
    }

    /** {@return this setup with a host path bound into the container} */
    public FilesystemSetup withBind(Path source, String target, Access access) {
        return withMount(new Bind(source, target, access));
    }

    /** {@return this setup with an empty tmpfs mounted at {@code target}} */
    public FilesystemSetup withTmpfs(String target) {
        return withMount(new Tmpfs(target));
    }

    /**
     * {@return this setup with an empty tmpfs mounted at {@code target} as docker's
     * {@code --tmpfs TARGET:OPTIONS} mounts it: the mount {@link #tmpfs(String, List)} describes}
     *
     * @throws IllegalArgumentException as {@link #tmpfs(String, List)}
     */
    public FilesystemSetup withTmpfs(String target, List<String> options) {
        return withMount(tmpfs(target, options));
    }

    /**
     * {@return an empty tmpfs at {@code target} as docker's {@code --tmpfs TARGET:OPTIONS} mounts
     * it: {@code noexec}, {@code nosuid} and {@code nodev}, then {@code options}, which may turn
     * them back off ({@code exec}, {@code suid}, {@code dev}) or add mount flags such as
     * {@code ro} and tmpfs's own options such as {@code size=64m} or {@code mode=1777} (tmpfs(5))}
     * Checked when it is made, so a command line is refused before anything is created.
     *
     * @param target  absolute path inside the container
     * @param options mount flags and tmpfs options, in order; none for docker's defaults alone
     * @throws IllegalArgumentException for a relative target, or naming an option that is neither
     *                                  a mount flag nor a tmpfs option
     */
    public static Generic tmpfs(String target, List<String> options) {
        requireAbsolute("tmpfs target", target);
        TmpfsOptions.check(target, options);
        List<String> all = new ArrayList<>(TmpfsOptions.DOCKER_DEFAULTS);
        all.addAll(options);
        return new Generic("tmpfs", "tmpfs", target, all);
    }

    /** {@return this setup with {@code mount} added after the mounts already there} */
    public FilesystemSetup withMount(Mount mount) {
        requireChanges("mounts");
        requireAbsolute("mount target", mount.target());
        return with(f -> f.mounts.add(mount));
    }

    /** {@return this setup with the command starting in {@code directory} (absolute, inside the container)} */
    public FilesystemSetup withWorkingDirectory(String directory) {
        requireAbsolute("working directory", directory);
        if (joinsBeforePivotRoot) {
            throw new IllegalArgumentException("FilesystemSetup.joiningBeforePivotRoot starts in the container's root:"
                    + " it takes no working directory");
        }
        return with(f -> f.workingDirectory = directory);
    }

    /** {@return this setup with or without a fresh /proc} */
    public FilesystemSetup withProc(boolean mounted) {
        return with(f -> f.proc = mounted);
    }

    /**
     * {@return this setup with or without the minimal /dev: a tmpfs with null, zero, full, random,
     * urandom and tty, a private devpts and a tmpfs /dev/shm}
     */
    public FilesystemSetup withDev(boolean mounted) {
        return with(f -> f.dev = mounted);
    }

    /** {@return this setup with or without a read-only /sys} */
    public FilesystemSetup withSys(boolean mounted) {
        return with(f -> f.sys = mounted);
    }

    /**
     * {@return this setup with or without the devices every container needs, created in whatever
     * its /dev is (OCI's default devices): null, zero, full, random, urandom and tty from the
     * host, and the links ptmx, fd, stdin, stdout and stderr. The minimal /dev ({@link #withDev})
     * always has them.}
     */
    public FilesystemSetup withDefaultDevices(boolean created) {
        return with(f -> f.defaultDevices = created);
    }

    /** {@return this setup with a device node created in the container, after the mounts} */
    public FilesystemSetup withDevice(Device device) {
        requireChanges("devices");
        return with(f -> f.devices.add(device));
    }

    /**
     * {@return this setup with {@code path} hidden: an empty read-only tmpfs over a directory, /dev/null
     * over a file; nothing when the path does not exist}
     */
    public FilesystemSetup withMaskedPath(String path) {
        requireChanges("masked paths");
        requireAbsolute("masked path", path);
        return with(f -> f.maskedPaths.add(path));
    }

    /** {@return this setup with {@code path} made read-only (recursively); nothing when it does not exist} */
    public FilesystemSetup withReadOnlyPath(String path) {
        requireChanges("read-only paths");
        requireAbsolute("read-only path", path);
        return with(f -> f.readOnlyPaths.add(path));
    }

    /**
     * {@return this setup with {@code path} neither masked nor read-only, such as {@code /proc/sys}
     * for a container that must set global kernel parameters (podman's {@code --security-opt
     * unmask=PATH})}
     *
     * @throws IllegalArgumentException if {@code path} is neither masked nor read-only
     */
    public FilesystemSetup withUnmasked(String path) {
        requireAbsolute("unmasked path", path);
        if (!maskedPaths.contains(path) && !readOnlyPaths.contains(path)) {
            throw new IllegalArgumentException(path + " is neither masked nor read-only; masked: " + maskedPaths
                    + ", read-only: " + readOnlyPaths);
        }
        return with(f -> {
            f.maskedPaths.remove(path);
            f.readOnlyPaths.remove(path);
        });
    }

    /**
     * {@return this setup with no masked and no read-only paths, the defaults included (podman's
     * {@code --security-opt unmask=ALL}); /sys stays read-only}
     */
    public FilesystemSetup withAllUnmasked() {
        return with(f -> {
            f.maskedPaths.clear();
            f.readOnlyPaths.clear();
        });
    }

    /**
     * {@return this host sandbox showing the host's /run and /var/run (read-only, like the rest of
     * its root) instead of empty ones, so its command reaches the host's service sockets, such as
     * D-Bus's or a container engine's, as far as its user may}
     *
     * @throws IllegalArgumentException unless this is a {@link #hostSandbox()}
     */
    public FilesystemSetup withSharedRun() {
        if (!changes || rootfs.isPresent()) {
            throw new IllegalArgumentException("only the host sandbox has the host's /run to show");
        }
        List<Mount> hiding = SERVICE_DIRECTORIES.stream().map(FilesystemSetup::emptyServiceDirectory).toList();
        return with(f -> f.mounts.removeAll(hiding));
    }

    /**
     * {@return this setup with the root's mount propagation set once the container is set up: {@code
     * private}, {@code slave} (the default), {@code shared} (a peer group of the container's own,
     * not the host's) or {@code unbindable}, each also with an {@code r} prefix for the whole tree}
     */
    public FilesystemSetup withRootPropagation(String propagation) {
        requireChanges("root propagation");
        MountOptions.requirePropagation(propagation);
        return with(f -> f.rootPropagation = Optional.of(propagation));
    }

    private FilesystemSetup with(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new FilesystemSetup(f);
    }

    private void requireChanges(String what) {
        if (!changes) {
            throw new IllegalArgumentException(what + " need a filesystem setup: FilesystemSetup.unchanged() has none");
        }
    }

    private static void requireAbsolute(String what, String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be an absolute path: " + path);
        }
        requireNoNul(what, path);
    }

    /**
     * {@return the root filesystem directory, or empty for a sandbox of the host's root (or no setup);
     * for {@link #joiningBeforePivotRoot(Path)} the root of the container joined}
     */
    public Optional<Path> rootfs() {
        return rootfs;
    }

    /** {@return the overlay the container mounts on {@link #rootfs()} itself ({@link #overlayRoot}), if any} */
    public Optional<RootOverlay> rootOverlay() {
        return rootOverlay;
    }

    /** {@return whether the container gets a filesystem of its own; false for {@link #unchanged()}} */
    public boolean changesFilesystem() {
        return changes;
    }

    /** {@return whether the root is mounted read-only} */
    public boolean readOnlyRoot() {
        return readOnlyRoot;
    }

    /** {@return whether a fresh /proc is mounted} */
    public boolean proc() {
        return proc;
    }

    /** {@return whether the minimal /dev is mounted} */
    public boolean dev() {
        return dev;
    }

    /** {@return whether a read-only /sys is mounted} */
    public boolean sys() {
        return sys;
    }

    /** {@return whether the default devices are created in /dev (always with the minimal /dev)} */
    public boolean defaultDevices() {
        return defaultDevices || dev;
    }

    /** {@return the mounts added on top of the root, in order} */
    public List<Mount> mounts() {
        return mounts;
    }

    /** {@return the device nodes created in the container, in order} */
    public List<Device> devices() {
        return devices;
    }

    /** {@return the paths hidden from the container} */
    public List<String> maskedPaths() {
        return maskedPaths;
    }

    /** {@return the paths made read-only} */
    public List<String> readOnlyPaths() {
        return readOnlyPaths;
    }

    /** {@return the root's mount propagation, when set} */
    public Optional<String> rootPropagation() {
        return rootPropagation;
    }

    /**
     * {@return whether the command joins a container before its {@code pivot_root}: the host's files
     * as its root, the container's root as its working directory ({@link #joiningBeforePivotRoot(Path)})}
     */
    public boolean joinsBeforePivotRoot() {
        return joinsBeforePivotRoot;
    }

    /** {@return the directory the command starts in} */
    public String workingDirectory() {
        return workingDirectory;
    }

    /**
     * {@return a summary such as {@code FilesystemSetup[host sandbox, /proc, /dev, /sys, mounts=[...],
     * 14 masked and 5 read-only paths, working directory /]}}
     */
    @Override
    public String toString() {
        if (joinsBeforePivotRoot) {
            return "FilesystemSetup[unchanged, before pivot_root: the host's root, working directory the container's root "
                    + rootfs.orElseThrow() + "]";
        }
        if (!changes) {
            return "FilesystemSetup[unchanged, working directory " + workingDirectory + "]";
        }
        List<String> parts = new ArrayList<>();
        parts.add(rootfs.map(path -> (rootOverlay.isPresent() ? "overlay root " : "rootfs ") + path
                + (readOnlyRoot ? " read-only" : "")).orElse("host sandbox"));
        if (proc) {
            parts.add("/proc");
        }
        if (dev) {
            parts.add("/dev" + (defaultDevices ? " with the default devices" : ""));
        }
        if (sys) {
            parts.add("/sys");
        }
        if (!mounts.isEmpty()) {
            parts.add("mounts=" + mounts);
        }
        if (!devices.isEmpty()) {
            parts.add("devices=" + devices);
        }
        parts.add(maskedPaths.size() + " masked and " + readOnlyPaths.size() + " read-only paths");
        rootPropagation.ifPresent(propagation -> parts.add("root propagation " + propagation));
        parts.add("working directory " + workingDirectory);
        return "FilesystemSetup" + parts;
    }

    /** The mutable copy every {@code with} method changes. */
    private static final class Fields {
        Optional<Path> rootfs = Optional.empty();
        Optional<RootOverlay> rootOverlay = Optional.empty();
        boolean changes = true;
        boolean readOnlyRoot;
        boolean proc = true;
        boolean dev = true;
        boolean sys = true;
        boolean defaultDevices;
        final List<Mount> mounts = new ArrayList<>();
        final List<Device> devices = new ArrayList<>();
        final List<String> maskedPaths = new ArrayList<>();
        final List<String> readOnlyPaths = new ArrayList<>();
        Optional<String> rootPropagation = Optional.empty();
        String workingDirectory = "/";
        boolean joinsBeforePivotRoot;

        Fields() {
        }

        Fields(FilesystemSetup s) {
            rootfs = s.rootfs;
            rootOverlay = s.rootOverlay;
            changes = s.changes;
            readOnlyRoot = s.readOnlyRoot;
            proc = s.proc;
            dev = s.dev;
            sys = s.sys;
            defaultDevices = s.defaultDevices;
            mounts.addAll(s.mounts);
            devices.addAll(s.devices);
            maskedPaths.addAll(s.maskedPaths);
            readOnlyPaths.addAll(s.readOnlyPaths);
            rootPropagation = s.rootPropagation;
            workingDirectory = s.workingDirectory;
            joinsBeforePivotRoot = s.joinsBeforePivotRoot;
        }
    }
}
