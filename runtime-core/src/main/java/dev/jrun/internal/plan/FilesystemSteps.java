package dev.jrun.internal.plan;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.mount_attr;
import dev.jrun.internal.cgroup.CgroupMounts;
import dev.jrun.internal.flags.Flag;
import dev.jrun.internal.flags.MountAttributes;
import dev.jrun.internal.flags.MountOptions;
import dev.jrun.launch.Arg;
import dev.jrun.model.FilesystemSetup.Device;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.NamespaceSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CHDIR;
import static dev.jrun.launch.Syscall.CHROOT;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.FCHOWNAT;
import static dev.jrun.launch.Syscall.MKDIRAT;
import static dev.jrun.launch.Syscall.MKNODAT;
import static dev.jrun.launch.Syscall.MOUNT;
import static dev.jrun.launch.Syscall.MOUNT_SETATTR;
import static dev.jrun.launch.Syscall.MOVE_MOUNT;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.OPENAT2;
import static dev.jrun.launch.Syscall.OPEN_TREE;
import static dev.jrun.launch.Syscall.PIVOT_ROOT;
import static dev.jrun.launch.Syscall.SETNS;
import static dev.jrun.launch.Syscall.SYMLINKAT;
import static dev.jrun.launch.Syscall.UMASK;
import static dev.jrun.launch.Syscall.UMOUNT2;
import static dev.jrun.launch.Syscall.UNSHARE;
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
 * <p>Nothing is mounted by a path of the container. Each mount is made first as
 * a detached tree (a copy of a host path with {@code open_tree}, or a new
 * filesystem mounted on the scratch root's {@code /staging} and taken from
 * there), given its attributes, and moved with {@code move_mount} onto a
 * descriptor of its target that {@link ContainerPaths} opened inside the root.
 *
 * <p>The order: the root, the standard mounts, the mounts in the order given,
 * the devices, the launcher's work before {@code pivot_root} (OCI's
 * createContainer hooks), the kernel parameters, masked and read-only paths, the
 * read-only tmpfs mounts (mounted writable, as runc mounts them, so that what is
 * below them could be made), a read-only root, {@code pivot_root}, the root's
 * propagation.
 *
 * <p>While the launcher works before {@code pivot_root}, the assembled root is
 * where runc has it then: moved onto its own path in the host's tree
 * ({@code /oldroot/<rootfs>}), with every mount on it, and back to
 * {@code /newroot} after. A process that joins the container's mount namespace
 * meanwhile ({@link FilesystemSetup#joiningBeforePivotRoot(Path)}) finds the
 * scratch root there: it makes {@code /oldroot} its root and enters the
 * container's root by its path, so that it runs the host's programs in the
 * container's root, which is reachable from its own.
 */
final class FilesystemSteps {

    private static final String SCRATCH = "/tmp";
    private static final String NEW_ROOT = "/newroot";
    private static final String OLD_ROOT = "/oldroot";
    private static final String STAGING = "/staging";
    private static final List<String> DEVICES = List.of("null", "zero", "full", "random", "urandom", "tty");
    private static final List<DevLink> DEV_LINKS = List.of(
            new DevLink("ptmx", "pts/ptmx"), new DevLink("fd", "/proc/self/fd"),
            new DevLink("stdin", "/proc/self/fd/0"), new DevLink("stdout", "/proc/self/fd/1"),
            new DevLink("stderr", "/proc/self/fd/2"));
    private static final Set<Integer> ALREADY_THERE = Set.of(Libc.EEXIST());
    /** What moving a directory onto a file, or a file onto a directory, fails with. */
    private static final Set<Integer> OTHER_KIND = Set.of(Libc.EINVAL(), Libc.ENOTDIR());

    /** A mount in place whose descriptor (the result of step {@code tree}) is kept to change it later. */
    private record AttachedMount(int tree, String target) {
    }

    /** A symlink in /dev: {@code /dev/<name>} points to {@code target}. */
    private record DevLink(String name, String target) {
    }

    private final PlanBuilder plan;
    private final FilesystemSetup setup;
    private final Map<String, String> sysctls;
    private final Path root;
    /** Java's view of the root, read while compiling. */
    private final RootFiles files;
    private final boolean hostRoot;
    private final NamespaceSet namespaces;
    private final boolean terminal;
    private final HostFacts host;
    private final TmpfsCopyUp copyUp;
    /** Container paths something is mounted on: what the image has below them is hidden. */
    private final List<String> mountedOn = new ArrayList<>();
    /** Whether the container has entered a cgroup namespace of its own for its cgroup mounts, and stays there. */
    private boolean cgroupViewKept;
    /** The bind sources {@link #copyBindSourcesBeforeClone} copied, not yet mounted. */
    private final Map<BindSource, Deque<Integer>> copiedBeforeClone = new HashMap<>();
    private final List<AttachedMount> readOnlyAtTheEnd = new ArrayList<>();
    private ContainerPaths paths;

    /**
     * @param spec the container: its filesystem, its kernel parameters, its namespaces (a fresh
     *             sysfs shows its own network namespace, as the host's sysfs cannot be mounted
     *             twice on one place; cgroup mounts its own cgroup), whether it has a terminal (to
     *             bind on /dev/console) and its id maps (the owners of files copied into a tmpfs)
     * @param host the host whose cgroup layout a cgroup mount repeats
     */
    FilesystemSteps(PlanBuilder plan, ContainerSpec spec, HostFacts host) {
        this.plan = plan;
        this.setup = spec.filesystem();
        this.sysctls = spec.sysctls();
        this.hostRoot = setup.rootfs().isEmpty();
        this.namespaces = spec.namespaces();
        this.terminal = spec.terminal();
        this.host = host;
        this.copyUp = new TmpfsCopyUp(plan, spec.uidMappings(), spec.gidMappings());
        this.root = setup.rootfs().map(FilesystemSteps::realRootfs).orElse(Path.of("/"));
        this.files = new RootFiles(root, setup.rootOverlay());
    }

    /**
     * Adds the steps.
     *
     * @param beforePivotRoot adds the steps that let the launcher work in the assembled root (a gate), if any
     */
    void add(Optional<Runnable> beforePivotRoot) {
        if (setup.joinsBeforePivotRoot()) {
            joinRootBeforePivot();
            return;
        }
        if (!setup.changesFilesystem()) {
            changeToWorkingDirectory();
            return;
        }
        // Device nodes get exactly their mode: no chmod afterwards, which would follow a symlink.
        int umask = plan.add("create files with exactly the modes asked for", UMASK, number(0));
        plan.add("keep the container's mounts off the host", MOUNT,
                NULL, text("/"), NULL, Flag.all(Flag.MS_REC, Flag.MS_SLAVE), NULL);
        // In this mount namespace, whose user namespace may mount overlayfs where the host's may not.
        setup.rootOverlay().ifPresent(overlay -> plan.add("mount the overlay root on " + root, MOUNT,
                text("overlay"), text(root.toString()), text("overlay"), number(0), text(overlay.mountOptions())));
        enterScratch();
        bindRoot();
        paths = new ContainerPaths(plan, NEW_ROOT, this::existsInRoot);
        if (setup.proc()) {
            mountFresh("proc", "/proc", "proc", Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC), NULL);
        }
        if (setup.dev()) {
            mountDev();
        }
        if (setup.sys() && (namespaces.creates(Namespace.NETWORK) || !hostRoot)) {
            // Otherwise the host sandbox keeps the host's /sys, read-only like the rest of its root.
            mountFresh("sysfs", "/sys", "sysfs",
                    Flag.all(Flag.MS_RDONLY, Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC), NULL);
            if (setup.mounts().stream().noneMatch(FilesystemSteps::isCgroup)) {
                // As runc's default spec has it: a JVM inside sizes itself from these limits.
                cgroup(CgroupMounts.ROOT, new LinkedHashSet<>(List.of(Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC)), true);
            }
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
        if (terminal) {
            // Made now: /dev may become read-only below, and the terminal is opened after pivot_root.
            int console = paths.create(resolve("/dev/console"), ContainerPaths.Kind.FILE);
            paths.close(console, "/dev/console");
        }
        // As runc runs createContainer hooks: after the mounts and devices, before the kernel parameters,
        // the masked and read-only paths and a read-only root, which it sets once in the root.
        beforePivotRoot.ifPresent(this::atItsHostPath);
        sysctls.forEach(this::sysctl);
        setup.maskedPaths().forEach(this::mask);
        setup.readOnlyPaths().forEach(this::makePathReadOnly);
        finishReadOnlyMounts();
        if (setup.readOnlyRoot() && !hostRoot) {
            // Last, so mount points could still be created; the image's root alone, not its submounts.
            makeReadOnly("make the root read-only", NEW_ROOT, number(0));
        }
        paths.close();
        enterRoot();
        setup.rootPropagation().ifPresent(propagation -> plan.add("set the root's propagation to " + propagation,
                MOUNT, NULL, text("/"), NULL, Flag.all(MountOptions.requirePropagation(propagation).toArray(Flag[]::new)),
                NULL));
        plan.add("restore the umask", UMASK, new Arg.ResultOf(umask));
        changeToWorkingDirectory();
    }

    private void enterScratch() {
        plan.add("mount a scratch tmpfs to build the root in", MOUNT,
                text("tmpfs"), text(SCRATCH), text("tmpfs"), Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV), text("mode=0700"));
        for (String directory : List.of(NEW_ROOT, OLD_ROOT, STAGING)) {
            plan.add("create " + directory, MKDIRAT, Flag.AT_FDCWD.arg(), text(SCRATCH + directory), Arg.mode(0700));
        }
        plan.add("move the host root aside to " + OLD_ROOT, PIVOT_ROOT, text(SCRATCH), text(SCRATCH + OLD_ROOT));
        plan.add("enter the scratch root", CHDIR, text("/"));
    }

    private void bindRoot() {
        int tree = hostTree(root, true);
        plan.add("bind the root filesystem " + root + " at " + NEW_ROOT, MOVE_MOUNT, new Arg.ResultOf(tree), text(""),
                Flag.AT_FDCWD.arg(), text(NEW_ROOT), Flag.MOVE_MOUNT_F_EMPTY_PATH.arg());
        closeMount(tree, "/");
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
            if (!isExplicitDevice(path)) {
                int tree = hostTree(Path.of(path), false);
                attach(tree, path, ContainerPaths.Kind.FILE, "bind " + path + " from the host");
                closeMount(tree, path);
            }
        }
        for (DevLink link : DEV_LINKS) {
            String path = "/dev/" + link.name();
            if (!isExplicitDevice(path)) {
                String resolved = resolve(path);
                int directory = paths.createParent(resolved);
                plan.addTolerating(ALREADY_THERE, "link " + path + " to " + link.target(), SYMLINKAT,
                        text(link.target()), new Arg.ResultOf(directory), text(ContainerPaths.name(resolved)));
                paths.close(directory, "/dev");
            }
        }
    }

    private boolean isExplicitDevice(String path) {
        return setup.devices().stream().anyMatch(d -> d.path().equals(path));
    }

    /** A device node, made in its directory's descriptor; one that is there already is kept, as runc does. */
    private void device(Device device) {
        String resolved = resolve(device.path());
        int directory = paths.createParent(resolved);
        Arg in = new Arg.ResultOf(directory);
        Arg name = text(ContainerPaths.name(resolved));
        Flag kind = switch (device.type()) {
            case CHARACTER -> Flag.S_IFCHR;
            case BLOCK -> Flag.S_IFBLK;
            case FIFO -> Flag.S_IFIFO;
        };
        long number = Libc.gnu_dev_makedev((int) device.major(), (int) device.minor());
        String mode = "0" + Integer.toOctalString(device.mode());
        plan.addTolerating(ALREADY_THERE, "create device " + device.path(), MKNODAT, in, name,
                Arg.named(kind.value() | device.mode(), kind.name() + "|" + mode),
                Arg.named(number, "makedev(" + device.major() + ", " + device.minor() + ")"));
        if (device.uid().isPresent() || device.gid().isPresent()) {
            plan.add("set the owner of " + device.path(), FCHOWNAT, in, name,
                    number(device.uid().orElse(-1)), number(device.gid().orElse(-1)), Flag.AT_SYMLINK_NOFOLLOW.arg());
        }
        paths.close(directory, device.path());
    }

    private void bind(FilesystemSetup.Bind bind) {
        Path source = realSource(bind.source());
        int tree = hostTree(source, true);
        if (bind.access() == FilesystemSetup.Access.READ_ONLY) {
            setAttributes(tree, "make " + bind.target() + " read-only", readOnly(), true);
        }
        attach(tree, bind.target(), kindOf(source), "bind " + source + " on " + bind.target());
        closeMount(tree, bind.target());
    }

    private void generic(FilesystemSetup.Generic mount) {
        MountOptions options = MountOptions.parse(mount.type(), mount.options());
        if (isCgroup(mount)) {
            cgroup(mount.target(), new LinkedHashSet<>(options.flags()), false);
            return;
        }
        if (options.remount()) {
            remount(mount, options);
            return;
        }
        int tree;
        ContainerPaths.Kind kind = ContainerPaths.Kind.DIRECTORY;
        String description;
        // As runc does: a read-only tmpfs is made writable, so directories can be created for the
        // mounts below it (/dev/pts in a read-only /dev) or the image copied in, and read-only at the end.
        boolean readOnlyLater = !options.bind() && mount.type().equals("tmpfs") && options.flags().contains(Flag.MS_RDONLY);
        if (options.bind()) {
            Path source = realSource(Path.of(mount.source()));
            tree = hostTree(source, options.recursiveBind());
            kind = kindOf(source);
            description = "bind " + source + " on " + mount.target();
            // A bind mount ignores the flags it is made with: set them on the new mount itself.
            setAttributes(tree, "set the options of " + mount.target(), options.bindAttributes(), false);
        } else {
            requireOrdinaryDirectory(mount.type(), mount.target());
            Flag[] flags = options.flags().stream().filter(flag -> !(readOnlyLater && flag.equals(Flag.MS_RDONLY)))
                    .toArray(Flag[]::new);
            if (options.copyUp()) {
                tree = copiedTmpfs(mount, Flag.all(flags), data(options));
                description = "attach the filled tmpfs on " + mount.target();
            } else {
                tree = freshTree(mount.type(), mount.source(), mount.target(), Flag.all(flags), data(options));
                description = "attach " + mount.type() + " on " + mount.target();
            }
        }
        setAttributes(tree, "set the options of " + mount.target() + " and everything below it",
                options.recursive(), true);
        attach(tree, mount.target(), kind, description);
        if (!options.propagation().isEmpty()) {
            setPropagation(tree, mount.target(), options.propagation());
        }
        if (readOnlyLater) {
            readOnlyAtTheEnd.add(new AttachedMount(tree, mount.target()));
        } else {
            closeMount(tree, mount.target());
        }
    }

    /**
     * {@return the step whose result is a detached tmpfs holding a copy of what the image has at
     * the mount's target}
     */
    private int copiedTmpfs(FilesystemSetup.Generic mount, Arg flags, Arg data) {
        String resolved = resolve(mount.target());
        if (isMountedOn(resolved)) {
            throw new IllegalArgumentException("mount option \"tmpcopyup\" on " + mount.target() + ": an earlier"
                    + " mount hides what the image has there, and jrun copies the image's content only");
        }
        Optional<Path> onDisk = files.find(resolved).filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS));
        if (onDisk.isPresent() && setup.rootOverlay().isPresent()) {
            throw new IllegalArgumentException("mount option \"tmpcopyup\" on " + mount.target() + ": the overlay root"
                    + " is mounted by the container itself, and jrun copies from a root it can read before: use a"
                    + " copied root (RootStorage.COPY, --storage-driver vfs)");
        }
        int tree = freshTree(mount.type(), mount.source(), mount.target(), flags, data);
        if (onDisk.isPresent()) {
            int source = paths.openDirectoryWithoutSymlinks(resolved);
            copyUp.copy(onDisk.get(), mount.target(), source, tree);
            paths.close(source, mount.target());
        }
        return tree;
    }

    /**
     * Refuses, as runc does, a proc or sysfs whose target the image made a symlink or a file: the
     * kernel's files would appear somewhere else than where the masks and the container expect them.
     */
    private void requireOrdinaryDirectory(String type, String containerPath) {
        if (hostRoot || !(type.equals("proc") || type.equals("sysfs"))) {
            return;
        }
        String parent = resolve(containerPath.substring(0, Math.max(containerPath.lastIndexOf('/'), 1)));
        Optional<Path> onDisk = files.find((parent.equals("/") ? "" : parent) + "/" + ContainerPaths.name(containerPath));
        if (!isMountedOn(parent) && onDisk.isPresent() && !Files.isDirectory(onDisk.get(), LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("filesystem \"" + type + "\" must be mounted on ordinary directory: "
                    + containerPath + " in the rootfs is " + (Files.isSymbolicLink(onDisk.get()) ? "a symlink" : "no directory"));
        }
    }

    /** Makes the read-only tmpfs mounts read-only, now that everything below them is in place. */
    private void finishReadOnlyMounts() {
        for (AttachedMount mount : readOnlyAtTheEnd) {
            setAttributes(mount.tree(), "make " + mount.target() + " read-only", readOnly(), false);
            closeMount(mount.tree(), mount.target());
        }
    }

    /** A remount changes what is mounted at the target already: its per-mount flags, on its descriptor. */
    private void remount(FilesystemSetup.Generic mount, MountOptions options) {
        String resolved = resolve(mount.target());
        int target = paths.create(resolved, ContainerPaths.Kind.DIRECTORY);
        setAttributes(target, "remount " + mount.target(), options.bindAttributes(), false);
        paths.close(target, mount.target());
        mountedOn.add(resolved);
    }

    private static boolean isCgroup(FilesystemSetup.Mount mount) {
        return mount instanceof FilesystemSetup.Generic generic && generic.type().equals("cgroup");
    }

    /**
     * Mounts the host's cgroup layout afresh: one cgroup2 on a unified host, else a tmpfs with
     * one mount per hierarchy. Each shows the container's own cgroup as its root, as the container's
     * cgroup namespace has it; a container without one enters a new cgroup namespace just for these
     * mounts and returns to its own afterwards, unless it has a user namespace: it keeps that one
     * ({@link #keepOwnCgroupView}). Read-only applies to them all, once they are mounted.
     */
    private void cgroup(String containerPath, Set<Flag> flags, boolean readOnly) {
        boolean sharedCgroupNamespace = !namespaces.creates(Namespace.CGROUP) && !cgroupViewKept;
        int cgroupNamespace = -1;
        if (sharedCgroupNamespace && namespaces.creates(Namespace.USER)) {
            keepOwnCgroupView();
        } else if (sharedCgroupNamespace) {
            cgroupNamespace = enterOwnCgroupView();
        }
        readOnly |= flags.remove(Flag.MS_RDONLY);
        Arg mountFlags = Flag.all(flags.toArray(Flag[]::new));
        List<CgroupMounts.Hierarchy> hierarchies = host.mountedCgroups();
        int tree;
        if (hierarchies.size() == 1 && hierarchies.getFirst().name().isEmpty()) {
            tree = freshTree("cgroup2", "cgroup2", containerPath, mountFlags, NULL);
            attach(tree, containerPath, ContainerPaths.Kind.DIRECTORY, "attach cgroup2 on " + containerPath);
        } else {
            tree = freshTree("tmpfs", "tmpfs", containerPath, mountFlags, text("mode=755"));
            attach(tree, containerPath, ContainerPaths.Kind.DIRECTORY,
                    "attach the tmpfs for the cgroup hierarchies on " + containerPath);
            for (CgroupMounts.Hierarchy hierarchy : hierarchies) {
                String path = containerPath + "/" + hierarchy.name();
                // The tmpfs is this launch's own: nothing else can have put a symlink in it.
                plan.add("create " + path, MKDIRAT, new Arg.ResultOf(tree), text(hierarchy.name()), Arg.mode(0755));
                int directory = plan.add("open " + path, OPENAT, new Arg.ResultOf(tree), text(hierarchy.name()),
                        Flag.all(Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_NOFOLLOW, Flag.O_CLOEXEC), number(0));
                int hierarchyTree = freshTree(hierarchy.type(), hierarchy.type(), path, mountFlags,
                        hierarchy.options().isEmpty() ? NULL : text(hierarchy.options()));
                moveMount(hierarchyTree, directory, "attach the " + hierarchy.name() + " cgroup hierarchy");
                closeMount(hierarchyTree, path);
                paths.close(directory, path);
            }
        }
        if (readOnly) {
            setAttributes(tree, "make " + containerPath + " read-only", readOnly(), true);
        }
        closeMount(tree, containerPath);
        if (cgroupNamespace >= 0) {
            plan.add("return to the cgroup namespace the container shares", SETNS, new Arg.ResultOf(cgroupNamespace),
                    Flag.CLONE_NEWCGROUP.arg());
            plan.add("close the shared cgroup namespace", CLOSE, new Arg.ResultOf(cgroupNamespace));
        }
    }

    /**
     * A cgroup filesystem shows the cgroup namespace of whoever mounts it: one made for the mounts
     * shows the container's own cgroup, not the host's whole tree (runc binds that cgroup's
     * directories instead). {@return the step whose result is the namespace to return to}
     */
    private int enterOwnCgroupView() {
        int shared = plan.add("open the cgroup namespace the container shares", OPENAT, Flag.AT_FDCWD.arg(),
                text(OLD_ROOT + "/proc/self/ns/cgroup"), Flag.all(Flag.O_RDONLY, Flag.O_CLOEXEC), number(0));
        plan.add("see the container's own cgroup as the root of the cgroup mounts", UNSHARE,
                Flag.CLONE_NEWCGROUP.arg());
        return shared;
    }

    /**
     * The host's cgroup namespace belongs to the host's user namespace, in which a container with a
     * user namespace may not mount a cgroup hierarchy (EPERM), nor return to it once it has left.
     * runc binds the host's directories of the container's cgroup instead; a plan cannot name them,
     * as the cgroup is made at the gate. A cgroup namespace of the container's own, made after the
     * gate, gives the same view of /sys/fs/cgroup, and the container stays in it.
     */
    private void keepOwnCgroupView() {
        plan.add("see the container's own cgroup as the root of the cgroup mounts, in a cgroup namespace it keeps"
                + " (its user namespace may not mount the host's)", UNSHARE, Flag.CLONE_NEWCGROUP.arg());
        cgroupViewKept = true;
    }

    private static Arg data(MountOptions options) {
        return options.dataArgument().map(Arg::text).orElse(NULL);
    }

    private void mountFresh(String source, String containerPath, String type, Arg flags, Arg data) {
        requireOrdinaryDirectory(type, containerPath);
        int tree = freshTree(type, source, containerPath, flags, data);
        attach(tree, containerPath, ContainerPaths.Kind.DIRECTORY, "attach " + type + " on " + containerPath);
        closeMount(tree, containerPath);
    }

    /**
     * Copies the host's bind sources while the plan still runs as the host's root, before the
     * clone: the root of a new user namespace may not search the directories above a source that
     * only the host's root may enter (runc opens them in the runtime too). Each copy is used once.
     */
    void copyBindSourcesBeforeClone() {
        for (FilesystemSetup.Mount mount : setup.mounts()) {
            bindSource(mount).ifPresent(source -> copiedBeforeClone.computeIfAbsent(source, s -> new ArrayDeque<>())
                    .add(copyHostTree("", source.path(), source.recursive())));
        }
    }

    /** A host path a mount binds, and whether with its submounts. */
    private record BindSource(Path path, boolean recursive) {
    }

    private static Optional<BindSource> bindSource(FilesystemSetup.Mount mount) {
        return switch (mount) {
            case FilesystemSetup.Bind bind -> Optional.of(new BindSource(realSource(bind.source()), true));
            case FilesystemSetup.Generic generic when !isCgroup(generic) -> {
                MountOptions options = MountOptions.parse(generic.type(), generic.options());
                yield options.bind() && !options.remount()
                        ? Optional.of(new BindSource(realSource(Path.of(generic.source())), options.recursiveBind()))
                        : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /**
     * {@return the step whose result is a detached copy of the host's {@code path} (with its submounts if
     * recursive): the one made before the clone, if there is one left, else one made now}
     */
    private int hostTree(Path path, boolean recursive) {
        Deque<Integer> copied = copiedBeforeClone.get(new BindSource(path, recursive));
        return copied != null && !copied.isEmpty() ? copied.poll() : copyHostTree(OLD_ROOT, path, recursive);
    }

    /** {@return the step whose result is a copy of {@code path}, opened under {@code hostRoot}} */
    private int copyHostTree(String hostRoot, Path path, boolean recursive) {
        // Java resolved it to a real path: a symlink in it now was swapped in since, to redirect the mount.
        int source = plan.add("open the host's " + path + ", which has no symlink", OPENAT2, Flag.AT_FDCWD.arg(),
                text(hostRoot + path), OpenHow.of(new Flag[] {Flag.O_PATH, Flag.O_CLOEXEC}, Flag.RESOLVE_NO_SYMLINKS),
                number(OpenHow.SIZE));
        Arg flags = recursive ? Flag.all(Flag.OPEN_TREE_CLONE, Flag.OPEN_TREE_CLOEXEC, Flag.AT_EMPTY_PATH, Flag.AT_RECURSIVE)
                : Flag.all(Flag.OPEN_TREE_CLONE, Flag.OPEN_TREE_CLOEXEC, Flag.AT_EMPTY_PATH);
        int tree = plan.add("copy the host's " + path + " to mount it", OPEN_TREE, new Arg.ResultOf(source), text(""),
                flags);
        plan.add("close the host's " + path, CLOSE, new Arg.ResultOf(source));
        return tree;
    }

    /**
     * {@return the step whose result is a new filesystem, detached: mounted on the scratch root's
     * staging directory, copied from there and unmounted}
     */
    private int freshTree(String type, String source, String containerPath, Arg flags, Arg data) {
        plan.add("mount " + type + " on " + containerPath, MOUNT, text(source), text(STAGING), text(type), flags, data);
        int tree = plan.add("take the " + type + " for " + containerPath, OPEN_TREE, Flag.AT_FDCWD.arg(),
                text(STAGING), Flag.all(Flag.OPEN_TREE_CLONE, Flag.OPEN_TREE_CLOEXEC, Flag.AT_RECURSIVE));
        plan.add("clear " + STAGING, UMOUNT2, text(STAGING), Flag.MNT_DETACH.arg());
        return tree;
    }

    /** Opens (creating if need be) {@code containerPath} inside the root and moves {@code tree} onto it. */
    private void attach(int tree, String containerPath, ContainerPaths.Kind kind, String description) {
        String resolved = resolve(containerPath);
        if (kind == ContainerPaths.Kind.FILE && isDirectoryInRoot(resolved)) {
            // The kernel would refuse it too, with a bare EINVAL.
            throw new IllegalArgumentException(description + ": " + containerPath + " is a directory in the"
                    + " container and the source a file; a file can be mounted on a file only");
        }
        int target = paths.create(resolved, kind);
        moveMount(tree, target, description);
        paths.close(target, containerPath);
        mountedOn.add(resolved);
    }

    private void closeMount(int tree, String containerPath) {
        plan.add("close the mount for " + containerPath, CLOSE, new Arg.ResultOf(tree));
    }

    private void moveMount(int tree, int target, String description) {
        plan.add(description, MOVE_MOUNT, new Arg.ResultOf(tree), text(""), new Arg.ResultOf(target), text(""),
                Flag.all(Flag.MOVE_MOUNT_F_EMPTY_PATH, Flag.MOVE_MOUNT_T_EMPTY_PATH));
    }

    private void setAttributes(int mount, String description, MountAttributes attributes, boolean recursive) {
        if (!attributes.isEmpty()) {
            Arg flags = recursive ? Flag.all(Flag.AT_EMPTY_PATH, Flag.AT_RECURSIVE) : Flag.AT_EMPTY_PATH.arg();
            plan.add(description, MOUNT_SETATTR, new Arg.ResultOf(mount), text(""), flags, attributes.arg(),
                    number(mount_attr.sizeof()));
        }
    }

    private void setPropagation(int mount, String containerPath, List<Flag> propagation) {
        boolean recursive = propagation.contains(Flag.MS_REC);
        Flag type = propagation.stream().filter(f -> !f.equals(Flag.MS_REC)).findFirst().orElseThrow();
        Arg flags = recursive ? Flag.all(Flag.AT_EMPTY_PATH, Flag.AT_RECURSIVE) : Flag.AT_EMPTY_PATH.arg();
        plan.add("set the propagation of " + containerPath, MOUNT_SETATTR, new Arg.ResultOf(mount), text(""), flags,
                MountAttributes.propagation(type), number(mount_attr.sizeof()));
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

    /**
     * An empty read-only tmpfs over a directory, /dev/null over anything else: both are tried,
     * and the kernel refuses the one of the other kind.
     */
    private void mask(String path) {
        PlanBuilder.Label absent = new PlanBuilder.Label();
        int target = paths.openIfPresent(resolve(path), absent);
        int empty = freshTree("tmpfs", "tmpfs", path, Flag.MS_RDONLY.arg(), NULL);
        plan.addTolerating(OTHER_KIND, "mask " + path + " (if a directory) with an empty tmpfs", MOVE_MOUNT,
                new Arg.ResultOf(empty), text(""), new Arg.ResultOf(target), text(""),
                Flag.all(Flag.MOVE_MOUNT_F_EMPTY_PATH, Flag.MOVE_MOUNT_T_EMPTY_PATH));
        closeMount(empty, path);
        int devNull = hostTree(Path.of("/dev/null"), false);
        plan.addTolerating(OTHER_KIND, "mask " + path + " (if a file) with /dev/null", MOVE_MOUNT,
                new Arg.ResultOf(devNull), text(""), new Arg.ResultOf(target), text(""),
                Flag.all(Flag.MOVE_MOUNT_F_EMPTY_PATH, Flag.MOVE_MOUNT_T_EMPTY_PATH));
        closeMount(devNull, path);
        paths.close(target, path);
        plan.bind(absent);
    }

    /** A read-only copy of what is at {@code path}, with everything below it, moved onto it. */
    private void makePathReadOnly(String path) {
        PlanBuilder.Label absent = new PlanBuilder.Label();
        int target = paths.openIfPresent(resolve(path), absent);
        int tree = plan.add("copy " + path + " to make it read-only", OPEN_TREE, new Arg.ResultOf(target), text(""),
                Flag.all(Flag.OPEN_TREE_CLONE, Flag.OPEN_TREE_CLOEXEC, Flag.AT_RECURSIVE, Flag.AT_EMPTY_PATH));
        setAttributes(tree, "make " + path + " read-only", readOnly(), true);
        moveMount(tree, target, "put the read-only " + path + " in place");
        closeMount(tree, path);
        paths.close(target, path);
        plan.bind(absent);
    }

    private void makeReadOnly(String description, String path, Arg flags) {
        plan.add(description, MOUNT_SETATTR, Flag.AT_FDCWD.arg(), text(path), flags, readOnly().arg(),
                number(mount_attr.sizeof()));
    }

    /** {@return {@code containerPath} resolved inside the root, as the container will see it} */
    private String resolve(String containerPath) {
        return ContainedPath.resolve(files, containerPath, this::isMountedOn);
    }

    /** {@return whether this plan mounts something on {@code directory} or above it, hiding what is on disk} */
    private boolean isMountedOn(String directory) {
        return mountedOn.stream().anyMatch(m -> directory.equals(m) || directory.startsWith(m.endsWith("/") ? m : m + "/"));
    }

    /**
     * A path exists for the container when it is on disk and nothing this plan mounts hides it.
     *
     * @throws IllegalArgumentException when the path is missing from the host's read-only root,
     *                                  where it cannot be created without changing the host
     */
    private boolean existsInRoot(String path) {
        String parent = path.substring(0, Math.max(path.lastIndexOf('/'), 1));
        if (!isMountedOn(parent) && files.find(path).isPresent()) {
            return true;
        }
        if (hostRoot && !isMountedOn(parent)) {
            throw new IllegalArgumentException("mount destination " + path + " does not exist on the"
                    + " host, and the host sandbox's root is read-only: mount on an existing path, or under a"
                    + " tmpfs such as /tmp");
        }
        return false;
    }

    private boolean isDirectoryInRoot(String path) {
        return existsInRoot(path) && files.find(path).filter(onDisk -> Files.isDirectory(onDisk, LinkOption.NOFOLLOW_LINKS))
                .isPresent();
    }

    private void enterRoot() {
        plan.add("enter the new root", CHDIR, text(NEW_ROOT));
        plan.add("make the new root the root", PIVOT_ROOT, text("."), text("."));
        plan.add("detach the old root", UMOUNT2, text("."), Flag.MNT_DETACH.arg());
    }

    /**
     * Adds {@code gate} with the assembled root moved onto its own path in the host's tree, where a
     * process that joins meanwhile finds it, and moves it back to {@link #NEW_ROOT} after. The mount
     * itself moves, so whatever the gate's work mounts in it stays.
     */
    private void atItsHostPath(Runnable gate) {
        if (root.getNameCount() == 0) {
            throw new IllegalArgumentException("work before pivot_root needs a root filesystem of the container's own,"
                    + " not the host's /");
        }
        String hostPath = OLD_ROOT + root;
        int mount = plan.add("open the mount of the assembled root", OPEN_TREE, Flag.AT_FDCWD.arg(), text(NEW_ROOT),
                Flag.OPEN_TREE_CLOEXEC.arg());
        // Java resolved it to a real path: a symlink in it now was swapped in since, to redirect the move.
        int target = plan.add("open " + root + " in the host's tree, which has no symlink", OPENAT2, Flag.AT_FDCWD.arg(),
                text(hostPath), OpenHow.of(new Flag[] {Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_CLOEXEC},
                        Flag.RESOLVE_NO_SYMLINKS), number(OpenHow.SIZE));
        plan.add("move the assembled root onto " + root + " in the host's tree", MOVE_MOUNT, new Arg.ResultOf(mount),
                text(""), new Arg.ResultOf(target), text(""),
                Flag.all(Flag.MOVE_MOUNT_F_EMPTY_PATH, Flag.MOVE_MOUNT_T_EMPTY_PATH));
        plan.add("close " + root + " in the host's tree", CLOSE, new Arg.ResultOf(target));
        gate.run();
        plan.add("move the assembled root back to " + NEW_ROOT, MOVE_MOUNT, new Arg.ResultOf(mount), text(""),
                Flag.AT_FDCWD.arg(), text(NEW_ROOT), Flag.MOVE_MOUNT_F_EMPTY_PATH.arg());
        plan.add("close the mount of the assembled root", CLOSE, new Arg.ResultOf(mount));
    }

    /**
     * In the mount namespace of a container that waits before pivot_root, whose root is the scratch
     * tmpfs and whose assembled root is at its own path in the host's tree ({@link #atItsHostPath}).
     */
    private void joinRootBeforePivot() {
        plan.add("make the host's tree, at " + OLD_ROOT + ", the root", CHROOT, text(OLD_ROOT));
        plan.add("enter the container's root " + root, CHDIR, text(root.toString()));
    }

    private void changeToWorkingDirectory() {
        plan.add("change to working directory " + setup.workingDirectory(), CHDIR, text(setup.workingDirectory()));
    }

    private static MountAttributes readOnly() {
        return MountAttributes.NONE.setting(Flag.MOUNT_ATTR_RDONLY);
    }

    private static ContainerPaths.Kind kindOf(Path source) {
        return Files.isDirectory(source) ? ContainerPaths.Kind.DIRECTORY : ContainerPaths.Kind.FILE;
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
