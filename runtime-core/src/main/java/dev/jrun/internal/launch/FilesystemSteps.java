package dev.jrun.internal.launch;

import dev.jrun.FilesystemSetup;
import dev.jrun.FilesystemSetup.Device;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.mount_attr;
import dev.jrun.launch.Arg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CHDIR;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.FCHMODAT;
import static dev.jrun.launch.Syscall.FCHOWNAT;
import static dev.jrun.launch.Syscall.MKDIRAT;
import static dev.jrun.launch.Syscall.MKNODAT;
import static dev.jrun.launch.Syscall.MOUNT;
import static dev.jrun.launch.Syscall.MOUNT_SETATTR;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.PIVOT_ROOT;
import static dev.jrun.launch.Syscall.SYMLINKAT;
import static dev.jrun.launch.Syscall.UMOUNT2;
import static dev.jrun.launch.Syscall.WRITE;

/**
 * The steps that give a container its root filesystem, in the first process's
 * new mount namespace.
 *
 * <p>The root is built the way bubblewrap builds it: a scratch tmpfs on
 * {@code /tmp} becomes the root for a moment, with the host's tree moved aside
 * to {@code /oldroot} (where the host's own {@code /tmp} is visible again), and
 * the container's root assembled at {@code /newroot}. Host paths are read only
 * through {@code /oldroot}; a final {@code pivot_root} enters {@code /newroot}
 * and the old root is detached, so nothing of the host stays reachable.
 *
 * <p>The order: the root, the standard mounts, the mounts in the order given,
 * the devices, the kernel parameters, masked and read-only paths, a read-only
 * root, {@code pivot_root}, the root's propagation.
 */
final class FilesystemSteps {

    private static final String SCRATCH = "/tmp";
    private static final String NEW_ROOT = "/newroot";
    private static final String OLD_ROOT = "/oldroot";
    private static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    private static final List<DevLink> DEV_LINKS = List.of(
            new DevLink("ptmx", "pts/ptmx"), new DevLink("fd", "/proc/self/fd"),
            new DevLink("stdin", "/proc/self/fd/0"), new DevLink("stdout", "/proc/self/fd/1"),
            new DevLink("stderr", "/proc/self/fd/2"));
    private static final Set<Integer> ABSENT = Set.of(Libc.ENOENT());
    private static final Set<Integer> ALREADY_THERE = Set.of(Libc.EEXIST());
    private static final Set<Integer> ABSENT_OR_OTHER_KIND = Set.of(Libc.ENOENT(), Libc.ENOTDIR());

    /** A symlink in /dev: {@code /dev/<name>} points to {@code target}. */
    private record DevLink(String name, String target) {
    }

    private final PlanBuilder plan;
    private final FilesystemSetup setup;
    private final Map<String, String> sysctls;
    private final Path root;
    private final boolean hostRoot;
    private final boolean newNetwork;
    /** Container paths something is mounted on: what the image has below them is hidden. */
    private final List<String> mountedOn = new ArrayList<>();

    /**
     * @param sysctls    the kernel parameters to write, by sysctl name
     * @param newNetwork whether the container has a network namespace of its own, which a
     *                   fresh sysfs shows (the host's sysfs cannot be mounted twice on one place)
     */
    FilesystemSteps(PlanBuilder plan, FilesystemSetup setup, Map<String, String> sysctls, boolean newNetwork) {
        this.plan = plan;
        this.setup = setup;
        this.sysctls = sysctls;
        this.hostRoot = setup.rootfs().isEmpty();
        this.newNetwork = newNetwork;
        this.root = setup.rootfs().map(FilesystemSteps::realRootfs).orElse(Path.of("/"));
    }

    void add() {
        if (!setup.changesFilesystem()) {
            changeToWorkingDirectory();
            return;
        }
        plan.add("keep the container's mounts off the host", MOUNT,
                NULL, text("/"), NULL, Flag.all(Flag.MS_REC, Flag.MS_SLAVE), NULL);
        enterScratch();
        bindRoot();
        if (setup.proc()) {
            mountFresh("proc", "/proc", "proc", Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC), NULL);
        }
        if (setup.dev()) {
            mountDev();
        }
        if (setup.sys() && (newNetwork || !hostRoot)) {
            // Otherwise the host sandbox keeps the host's /sys, read-only like the rest of its root.
            mountFresh("sysfs", "/sys", "sysfs",
                    Flag.all(Flag.MS_RDONLY, Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC), NULL);
        }
        for (FilesystemSetup.Mount mount : setup.mounts()) {
            switch (mount) {
                case FilesystemSetup.Bind bind -> bind(bind);
                case FilesystemSetup.Tmpfs tmpfs -> mountFresh("tmpfs", tmpfs.target(), "tmpfs",
                        Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV), text("mode=1777"));
                case FilesystemSetup.Generic generic -> generic(generic);
            }
        }
        if (setup.defaultDevices()) {
            defaultDevices();
        }
        setup.devices().forEach(this::device);
        sysctls.forEach(this::sysctl);
        setup.maskedPaths().forEach(this::mask);
        setup.readOnlyPaths().forEach(this::makePathReadOnly);
        if (setup.readOnlyRoot() && !hostRoot) {
            // Last, so mount points could still be created; the image's root alone, not its submounts.
            makeReadOnly("make the root read-only", NEW_ROOT, number(0));
        }
        enterRoot();
        setup.rootPropagation().ifPresent(propagation -> plan.add("set the root's propagation to " + propagation,
                MOUNT, NULL, text("/"), NULL, Flag.all(MountOptions.requirePropagation(propagation).toArray(Flag[]::new)),
                NULL));
        changeToWorkingDirectory();
    }

    private void enterScratch() {
        plan.add("mount a scratch tmpfs to build the root in", MOUNT,
                text("tmpfs"), text(SCRATCH), text("tmpfs"), Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV), text("mode=0700"));
        plan.add("create " + NEW_ROOT, MKDIRAT, Flag.AT_FDCWD.arg(), text(SCRATCH + NEW_ROOT), Arg.mode(0700));
        plan.add("create " + OLD_ROOT, MKDIRAT, Flag.AT_FDCWD.arg(), text(SCRATCH + OLD_ROOT), Arg.mode(0700));
        plan.add("move the host root aside to " + OLD_ROOT, PIVOT_ROOT, text(SCRATCH), text(SCRATCH + OLD_ROOT));
        plan.add("enter the scratch root", CHDIR, text("/"));
    }

    private void bindRoot() {
        String source = hostRoot ? OLD_ROOT : OLD_ROOT + root;
        plan.add("bind the root filesystem " + root, MOUNT,
                text(source), text(NEW_ROOT), NULL, Flag.all(Flag.MS_BIND, Flag.MS_REC), NULL);
        if (setup.readOnlyRoot() && hostRoot) {
            // First, and with every submount (/usr, /home...): the fresh mounts that follow stay writable.
            makeReadOnly("make the host's root read-only", NEW_ROOT, Flag.AT_RECURSIVE.arg());
        }
    }

    private void mountDev() {
        mountFresh("tmpfs", "/dev", "tmpfs", Flag.all(Flag.MS_NOSUID, Flag.MS_STRICTATIME), text("mode=755,size=65536k"));
        mountFresh("devpts", "/dev/pts", "devpts", Flag.all(Flag.MS_NOSUID, Flag.MS_NOEXEC),
                text("newinstance,ptmxmode=0666,mode=0620"));
        mountFresh("tmpfs", "/dev/shm", "tmpfs", Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC),
                text("mode=1777,size=65536k"));
    }

    /** The devices every container has, from the host, and the usual links; a device given explicitly wins. */
    private void defaultDevices() {
        for (String device : DEVICES) {
            String path = "/dev/" + device;
            if (isExplicitDevice(path)) {
                continue;
            }
            String target = NEW_ROOT + createParents(path);
            plan.addTolerating(ALREADY_THERE, "create " + path + " to bind the host's onto", MKNODAT,
                    Flag.AT_FDCWD.arg(), text(target), Flag.all(Flag.S_IFREG), number(0));
            plan.add("bind " + path + " from the host", MOUNT,
                    text(OLD_ROOT + path), text(target), NULL, Flag.MS_BIND.arg(), NULL);
        }
        for (DevLink link : DEV_LINKS) {
            String path = "/dev/" + link.name();
            if (isExplicitDevice(path)) {
                continue;
            }
            plan.addTolerating(ALREADY_THERE, "link " + path + " to " + link.target(), SYMLINKAT,
                    text(link.target()), Flag.AT_FDCWD.arg(), text(NEW_ROOT + createParents(path)));
        }
    }

    private boolean isExplicitDevice(String path) {
        return setup.devices().stream().anyMatch(d -> d.path().equals(path));
    }

    private void device(Device device) {
        String target = NEW_ROOT + createParents(device.path());
        Flag kind = switch (device.type()) {
            case CHARACTER -> Flag.S_IFCHR;
            case BLOCK -> Flag.S_IFBLK;
            case FIFO -> Flag.S_IFIFO;
        };
        long number = Libc.gnu_dev_makedev((int) device.major(), (int) device.minor());
        String mode = "0" + Integer.toOctalString(device.mode());
        plan.addTolerating(ALREADY_THERE, "create device " + device.path(), MKNODAT, Flag.AT_FDCWD.arg(), text(target),
                Arg.named(kind.value() | device.mode(), kind.name() + "|" + mode),
                Arg.named(number, "makedev(" + device.major() + ", " + device.minor() + ")"));
        // mknod applies the umask: set the mode exactly.
        plan.add("set the mode of " + device.path() + " to " + mode, FCHMODAT,
                Flag.AT_FDCWD.arg(), text(target), Arg.named(device.mode(), mode), number(0));
        if (device.uid().isPresent() || device.gid().isPresent()) {
            plan.add("set the owner of " + device.path(), FCHOWNAT, Flag.AT_FDCWD.arg(), text(target),
                    number(device.uid().orElse(-1)), number(device.gid().orElse(-1)), Flag.AT_SYMLINK_NOFOLLOW.arg());
        }
    }

    private void bind(FilesystemSetup.Bind bind) {
        Path source = realSource(bind.source());
        String target = mountPoint(bind.target(), Files.isDirectory(source));
        plan.add("bind " + source + " on " + bind.target(), MOUNT,
                text(OLD_ROOT + source), text(target), NULL, Flag.all(Flag.MS_BIND, Flag.MS_REC), NULL);
        if (bind.access() == FilesystemSetup.Access.READ_ONLY) {
            makeReadOnly("make " + bind.target() + " read-only", target, Flag.AT_RECURSIVE.arg());
        }
        mountedOn.add(resolve(bind.target()));
    }

    private void generic(FilesystemSetup.Generic mount) {
        MountOptions options = MountOptions.parse(mount.type(), mount.options());
        String target;
        if (mount.type().equals("cgroup")) {
            target = cgroup(mount, options);
        } else if (options.remount()) {
            target = NEW_ROOT + resolve(mount.target());
            plan.add("remount " + mount.target(), MOUNT, text(mount.source()), text(target), text(mount.type()),
                    Flag.all(options.flags().toArray(Flag[]::new)), data(options));
        } else if (options.bind()) {
            target = bindGeneric(mount, options);
        } else {
            target = mountPoint(mount.target(), true);
            plan.add("mount " + mount.type() + " on " + mount.target(), MOUNT, text(mount.source()), text(target),
                    text(mount.type()), Flag.all(options.flags().toArray(Flag[]::new)), data(options));
        }
        if (!options.propagation().isEmpty()) {
            plan.add("set the propagation of " + mount.target(), MOUNT, NULL, text(target), NULL,
                    Flag.all(options.propagation().toArray(Flag[]::new)), NULL);
        }
        if (!options.recursive().isEmpty()) {
            plan.add("set the options of " + mount.target() + " and everything below it", MOUNT_SETATTR,
                    Flag.AT_FDCWD.arg(), text(target), Flag.AT_RECURSIVE.arg(), options.recursive().arg(),
                    number(mount_attr.sizeof()));
        }
        mountedOn.add(resolve(mount.target()));
    }

    private String bindGeneric(FilesystemSetup.Generic mount, MountOptions options) {
        Path source = realSource(Path.of(mount.source()));
        String target = mountPoint(mount.target(), Files.isDirectory(source));
        Arg flags = options.recursiveBind() ? Flag.all(Flag.MS_BIND, Flag.MS_REC) : Flag.MS_BIND.arg();
        plan.add("bind " + source + " on " + mount.target(), MOUNT, text(OLD_ROOT + source), text(target), NULL,
                flags, NULL);
        MountAttributes attributes = options.bindAttributes();
        if (!attributes.isEmpty()) {
            // A bind mount ignores the flags it is made with: set them on the new mount itself.
            plan.add("set the options of " + mount.target(), MOUNT_SETATTR, Flag.AT_FDCWD.arg(), text(target),
                    number(0), attributes.arg(), number(mount_attr.sizeof()));
        }
        return target;
    }

    /**
     * Mounts the host's cgroup layout afresh: one cgroup2 on a unified host, else a tmpfs with
     * one mount per hierarchy. Read-only applies to them all, once they are mounted.
     */
    private String cgroup(FilesystemSetup.Generic mount, MountOptions options) {
        String target = mountPoint(mount.target(), true);
        List<HostCgroups.Hierarchy> hierarchies = HostCgroups.hierarchies();
        boolean readOnly = options.flags().contains(Flag.MS_RDONLY);
        Flag[] flags = options.flags().stream().filter(f -> !f.equals(Flag.MS_RDONLY)).toArray(Flag[]::new);
        if (hierarchies.size() == 1 && hierarchies.getFirst().name().isEmpty()) {
            plan.add("mount cgroup2 on " + mount.target(), MOUNT, text("cgroup2"), text(target), text("cgroup2"),
                    Flag.all(flags), NULL);
        } else {
            plan.add("mount a tmpfs for the cgroup hierarchies on " + mount.target(), MOUNT, text("tmpfs"),
                    text(target), text("tmpfs"), Flag.all(flags), text("mode=755"));
            for (HostCgroups.Hierarchy hierarchy : hierarchies) {
                String directory = target + "/" + hierarchy.name();
                plan.add("create " + mount.target() + "/" + hierarchy.name(), MKDIRAT, Flag.AT_FDCWD.arg(),
                        text(directory), Arg.mode(0755));
                plan.add("mount the " + hierarchy.name() + " cgroup hierarchy", MOUNT, text(hierarchy.type()),
                        text(directory), text(hierarchy.type()), Flag.all(flags),
                        hierarchy.options().isEmpty() ? NULL : text(hierarchy.options()));
            }
        }
        if (readOnly) {
            makeReadOnly("make " + mount.target() + " read-only", target, Flag.AT_RECURSIVE.arg());
        }
        return target;
    }

    private static Arg data(MountOptions options) {
        return options.dataArgument().map(Arg::text).orElse(NULL);
    }

    private void mountFresh(String source, String containerPath, String type, Arg flags, Arg data) {
        String target = mountPoint(containerPath, true);
        plan.add("mount " + type + " on " + containerPath, MOUNT, text(source), text(target), text(type), flags, data);
        mountedOn.add(resolve(containerPath));
    }

    /**
     * Writes a kernel parameter through the host's /proc/sys, still reachable at /oldroot: the
     * value lands in the namespaces of the writer, which are the container's.
     */
    private void sysctl(String name, String value) {
        String path = OLD_ROOT + "/proc/sys/" + Sysctls.path(name);
        int open = plan.add("open sysctl " + name, OPENAT, Flag.AT_FDCWD.arg(), text(path),
                Flag.all(Flag.O_WRONLY, Flag.O_CLOEXEC), number(0));
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        plan.add("set sysctl " + name + " to " + value, WRITE, new Arg.ResultOf(open),
                new Arg.Bytes(bytes, '"' + value + '"'), number(bytes.length));
        plan.add("close sysctl " + name, CLOSE, new Arg.ResultOf(open));
    }

    /** An empty read-only tmpfs over a directory, /dev/null over anything else: one of the two fails with ENOTDIR. */
    private void mask(String path) {
        String target = NEW_ROOT + resolve(path);
        plan.addTolerating(ABSENT_OR_OTHER_KIND, "mask " + path + " (if a directory) with an empty tmpfs", MOUNT,
                text("tmpfs"), text(target), text("tmpfs"), Flag.MS_RDONLY.arg(), NULL);
        plan.addTolerating(ABSENT_OR_OTHER_KIND, "mask " + path + " (if a file) with /dev/null", MOUNT,
                text(OLD_ROOT + "/dev/null"), text(target), NULL, Flag.MS_BIND.arg(), NULL);
    }

    private void makePathReadOnly(String path) {
        String target = NEW_ROOT + resolve(path);
        plan.addTolerating(ABSENT, "bind " + path + " on itself to make it read-only", MOUNT,
                text(target), text(target), NULL, Flag.all(Flag.MS_BIND, Flag.MS_REC), NULL);
        plan.addTolerating(ABSENT, "make " + path + " read-only", MOUNT_SETATTR, Flag.AT_FDCWD.arg(), text(target),
                Flag.AT_RECURSIVE.arg(), readOnlyAttribute(), number(mount_attr.sizeof()));
    }

    private void makeReadOnly(String description, String path, Arg flags) {
        plan.add(description, MOUNT_SETATTR, Flag.AT_FDCWD.arg(), text(path), flags, readOnlyAttribute(),
                number(mount_attr.sizeof()));
    }

    /**
     * {@return where {@code containerPath} is under {@code /newroot}, resolved inside the root so
     * no symlink leads elsewhere; missing directories (and the file, for a file bind) are created
     * first}
     *
     * @throws IllegalArgumentException when the path is missing from the host's read-only root,
     *                                  where it cannot be created without changing the host
     */
    private String mountPoint(String containerPath, boolean directory) {
        String resolved = createParents(containerPath);
        if (!existsInRoot(resolved)) {
            refuseOnHostRoot(containerPath, resolved);
            if (directory) {
                plan.addTolerating(ALREADY_THERE, "create mount point " + resolved, MKDIRAT,
                        Flag.AT_FDCWD.arg(), text(NEW_ROOT + resolved), Arg.mode(0755));
            } else {
                plan.addTolerating(ALREADY_THERE, "create mount point " + resolved, MKNODAT,
                        Flag.AT_FDCWD.arg(), text(NEW_ROOT + resolved), Flag.all(Flag.S_IFREG), number(0));
            }
        }
        return NEW_ROOT + resolved;
    }

    /** Resolves {@code containerPath} inside the root and creates the directories above it; {@return the resolved path} */
    private String createParents(String containerPath) {
        String resolved = resolve(containerPath);
        StringBuilder prefix = new StringBuilder();
        String[] names = resolved.substring(1).split("/");
        for (int i = 0; i < names.length - 1; i++) {
            prefix.append('/').append(names[i]);
            String path = prefix.toString();
            if (!existsInRoot(path)) {
                refuseOnHostRoot(containerPath, path);
                plan.addTolerating(ALREADY_THERE, "create directory " + path, MKDIRAT,
                        Flag.AT_FDCWD.arg(), text(NEW_ROOT + path), Arg.mode(0755));
            }
        }
        return resolved;
    }

    /** {@return {@code containerPath} resolved inside the root, as the container will see it} */
    private String resolve(String containerPath) {
        return ContainedPath.resolve(root, containerPath, this::isMountedOn);
    }

    /** {@return whether this plan mounts something on {@code directory} or above it, hiding what is on disk} */
    private boolean isMountedOn(String directory) {
        return mountedOn.stream().anyMatch(m -> directory.equals(m) || directory.startsWith(m.endsWith("/") ? m : m + "/"));
    }

    /** A path exists for the container when it is on disk and nothing this plan mounts hides it. */
    private boolean existsInRoot(String path) {
        String parent = path.substring(0, Math.max(path.lastIndexOf('/'), 1));
        return !isMountedOn(parent) && Files.exists(root.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS);
    }

    /** The host sandbox's root is the host's own, read-only: what it lacks cannot be made without changing the host. */
    private void refuseOnHostRoot(String containerPath, String missing) {
        String parent = missing.substring(0, Math.max(missing.lastIndexOf('/'), 1));
        if (hostRoot && !isMountedOn(parent)) {
            throw new IllegalArgumentException("mount destination " + containerPath + " does not exist on the"
                    + " host, and the host sandbox's root is read-only: mount on an existing path, or under a"
                    + " tmpfs such as /tmp");
        }
    }

    private void enterRoot() {
        plan.add("enter the new root", CHDIR, text(NEW_ROOT));
        plan.add("make the new root the root", PIVOT_ROOT, text("."), text("."));
        plan.add("detach the old root", UMOUNT2, text("."), Flag.MNT_DETACH.arg());
    }

    private void changeToWorkingDirectory() {
        plan.add("change to working directory " + setup.workingDirectory(), CHDIR, text(setup.workingDirectory()));
    }

    private static Arg readOnlyAttribute() {
        return MountAttributes.NONE.setting(Flag.MOUNT_ATTR_RDONLY).arg();
    }

    private static Path realRootfs(Path rootfs) {
        if (!rootfs.isAbsolute()) {
            rootfs = rootfs.toAbsolutePath();
        }
        if (!Files.isDirectory(rootfs)) {
            throw new IllegalArgumentException("rootfs " + rootfs + " does not exist or is not a directory");
        }
        return toRealPath(rootfs);
    }

    private static Path realSource(Path source) {
        if (!source.isAbsolute()) {
            throw new IllegalArgumentException("bind source must be an absolute path: " + source);
        }
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("bind source " + source + " does not exist");
        }
        return toRealPath(source);
    }

    private static Path toRealPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("resolve " + path, e);
        }
    }
}
