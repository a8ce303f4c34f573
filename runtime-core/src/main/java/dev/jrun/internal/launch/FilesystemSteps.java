package dev.jrun.internal.launch;

import dev.jrun.FilesystemSetup;
import dev.jrun.bindings.Libc;
import dev.jrun.bindings.mount_attr;
import dev.jrun.launch.Arg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CHDIR;
import static dev.jrun.launch.Syscall.MKDIRAT;
import static dev.jrun.launch.Syscall.MKNODAT;
import static dev.jrun.launch.Syscall.MOUNT;
import static dev.jrun.launch.Syscall.MOUNT_SETATTR;
import static dev.jrun.launch.Syscall.PIVOT_ROOT;
import static dev.jrun.launch.Syscall.SYMLINKAT;
import static dev.jrun.launch.Syscall.UMOUNT2;

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

    /** A symlink in /dev: {@code /dev/<name>} points to {@code target}. */
    private record DevLink(String name, String target) {
    }

    private final PlanBuilder plan;
    private final FilesystemSetup setup;
    private final Path root;
    private final boolean hostRoot;
    private final boolean newNetwork;
    private final List<String> freshMounts = new ArrayList<>();

    /**
     * @param newNetwork whether the container has a network namespace of its own, which a
     *                   fresh sysfs shows (the host's sysfs cannot be mounted twice on one place)
     */
    FilesystemSteps(PlanBuilder plan, FilesystemSetup setup, boolean newNetwork) {
        this.plan = plan;
        this.setup = setup;
        this.hostRoot = setup.rootfs().isEmpty();
        this.newNetwork = newNetwork;
        this.root = setup.rootfs().map(FilesystemSteps::realRootfs).orElse(Path.of("/"));
    }

    void add() {
        plan.add("keep the container's mounts off the host", MOUNT,
                NULL, text("/"), NULL, Flag.all(Flag.MS_REC, Flag.MS_SLAVE), NULL);
        enterScratch();
        bindRoot();
        if (setup.proc()) {
            mountFresh("proc", "/proc", "proc", Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC), NULL);
        }
        if (setup.dev()) {
            populateDev();
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
            }
        }
        if (setup.readOnlyRoot() && !hostRoot) {
            // Last, so the mount points above could still be made in the image.
            makeReadOnly("make the root read-only", NEW_ROOT, number(0));
        }
        enterRoot();
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

    private void populateDev() {
        mountFresh("tmpfs", "/dev", "tmpfs", Flag.all(Flag.MS_NOSUID, Flag.MS_STRICTATIME), text("mode=755,size=65536k"));
        for (String device : DEVICES) {
            String target = NEW_ROOT + "/dev/" + device;
            plan.add("create /dev/" + device, MKNODAT,
                    Flag.AT_FDCWD.arg(), text(target), Flag.all(Flag.S_IFREG), number(0));
            plan.add("bind /dev/" + device + " from the host", MOUNT,
                    text(OLD_ROOT + "/dev/" + device), text(target), NULL, Flag.MS_BIND.arg(), NULL);
        }
        mountFresh("devpts", "/dev/pts", "devpts", Flag.all(Flag.MS_NOSUID, Flag.MS_NOEXEC),
                text("newinstance,ptmxmode=0666,mode=0620"));
        mountFresh("tmpfs", "/dev/shm", "tmpfs", Flag.all(Flag.MS_NOSUID, Flag.MS_NODEV, Flag.MS_NOEXEC),
                text("mode=1777,size=65536k"));
        for (DevLink link : DEV_LINKS) {
            plan.add("link /dev/" + link.name() + " to " + link.target(), SYMLINKAT,
                    text(link.target()), Flag.AT_FDCWD.arg(), text(NEW_ROOT + "/dev/" + link.name()));
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
    }

    private void mountFresh(String source, String containerPath, String type, Arg flags, Arg data) {
        String target = mountPoint(containerPath, true);
        plan.add("mount " + type + " on " + containerPath, MOUNT, text(source), text(target), text(type), flags, data);
        freshMounts.add(ContainedPath.resolve(root, containerPath));
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
        if (!containerPath.startsWith("/")) {
            throw new IllegalArgumentException("mount destination must be an absolute path: " + containerPath);
        }
        String resolved = ContainedPath.resolve(root, containerPath);
        StringBuilder prefix = new StringBuilder();
        String[] names = resolved.substring(1).split("/");
        for (int i = 0; i < names.length && !names[i].isEmpty(); i++) {
            prefix.append('/').append(names[i]);
            String path = prefix.toString();
            boolean fresh = underFreshMount(path);
            if (!fresh && Files.exists(root.resolve(path.substring(1)), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (hostRoot && !fresh) {
                throw new IllegalArgumentException("mount destination " + containerPath + " does not exist on the"
                        + " host, and the host sandbox's root is read-only: mount on an existing path, or under a"
                        + " tmpfs such as /tmp");
            }
            if (i == names.length - 1 && !directory) {
                plan.add("create mount point " + path, MKNODAT,
                        Flag.AT_FDCWD.arg(), text(NEW_ROOT + path), Flag.all(Flag.S_IFREG), number(0));
            } else {
                plan.add("create mount point " + path, MKDIRAT,
                        Flag.AT_FDCWD.arg(), text(NEW_ROOT + path), Arg.mode(0755));
            }
        }
        return NEW_ROOT + resolved;
    }

    /** {@return whether a tmpfs this plan mounts hides what the disk has at {@code path}} */
    private boolean underFreshMount(String path) {
        return freshMounts.stream().anyMatch(m -> path.startsWith(m.endsWith("/") ? m : m + "/"));
    }

    private void enterRoot() {
        plan.add("enter the new root", CHDIR, text(NEW_ROOT));
        plan.add("make the new root the root", PIVOT_ROOT, text("."), text("."));
        plan.add("detach the old root", UMOUNT2, text("."), Flag.MNT_DETACH.arg());
        plan.add("change to working directory " + setup.workingDirectory(), CHDIR, text(setup.workingDirectory()));
    }

    private static Arg readOnlyAttribute() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = mount_attr.allocate(arena);
            mount_attr.attr_set(attr, Libc.MOUNT_ATTR_RDONLY());
            return new Arg.Bytes(attr.toArray(ValueLayout.JAVA_BYTE), "{attr_set=MOUNT_ATTR_RDONLY}");
        }
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
            throw new IllegalArgumentException("volume source must be an absolute path: " + source);
        }
        if (!Files.exists(source)) {
            throw new IllegalArgumentException("volume source " + source + " does not exist");
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
