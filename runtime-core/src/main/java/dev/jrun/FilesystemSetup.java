package dev.jrun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a container sees as its filesystem: its root, what is mounted on it,
 * and the directory its command starts in. Immutable; every {@code with}
 * method returns a new setup.
 *
 * <p>Two roots are offered:
 * <ul>
 *   <li>{@link #hostSandbox()}: the host's own {@code /}, read-only all the way
 *       down, with a fresh {@code /proc}, a minimal {@code /dev}, a read-only
 *       {@code /sys} and an empty private {@code /tmp}. No image is needed.</li>
 *   <li>{@link #rootfs(Path)}: a directory holding an unpacked image, made the
 *       container's {@code /} with {@code pivot_root}; the host's root is
 *       detached and gone.</li>
 * </ul>
 *
 * <pre>{@code
 * FilesystemSetup.hostSandbox()
 *         .withBind(Path.of("/home/me/project"), "/work", Access.READ_WRITE)
 *         .withWorkingDirectory("/work");
 * }</pre>
 */
public final class FilesystemSetup {

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

    private final Optional<Path> rootfs;
    private final boolean readOnlyRoot;
    private final boolean proc;
    private final boolean dev;
    private final boolean sys;
    private final List<Mount> mounts;
    private final String workingDirectory;

    private FilesystemSetup(Optional<Path> rootfs, boolean readOnlyRoot, boolean proc, boolean dev, boolean sys,
                            List<Mount> mounts, String workingDirectory) {
        this.rootfs = rootfs;
        this.readOnlyRoot = readOnlyRoot;
        this.proc = proc;
        this.dev = dev;
        this.sys = sys;
        this.mounts = List.copyOf(mounts);
        this.workingDirectory = workingDirectory;
    }

    /** {@return a sandbox of the host: its root read-only, fresh /proc, /dev, /sys and an empty tmpfs /tmp} */
    public static FilesystemSetup hostSandbox() {
        return new FilesystemSetup(Optional.empty(), true, true, true, true, List.of(new Tmpfs("/tmp")), "/");
    }

    /**
     * {@return a container rooted at an unpacked image, writable, with /proc, /dev and a read-only /sys}
     *
     * @param directory the root filesystem; it must exist when the container starts
     */
    public static FilesystemSetup rootfs(Path directory) {
        return new FilesystemSetup(Optional.of(directory), false, true, true, true, List.of(), "/");
    }

    /** {@return this setup with the root mounted read-only (or writable)} */
    public FilesystemSetup withReadOnlyRoot(boolean readOnly) {
        return new FilesystemSetup(rootfs, readOnly, proc, dev, sys, mounts, workingDirectory);
    }

    /** {@return this setup with a host path bound into the container} */
    public FilesystemSetup withBind(Path source, String target, Access access) {
        return withMount(new Bind(source, target, access));
    }

    /** {@return this setup with an empty tmpfs mounted at {@code target}} */
    public FilesystemSetup withTmpfs(String target) {
        return withMount(new Tmpfs(target));
    }

    private FilesystemSetup withMount(Mount mount) {
        List<Mount> more = new ArrayList<>(mounts);
        more.add(mount);
        return new FilesystemSetup(rootfs, readOnlyRoot, proc, dev, sys, more, workingDirectory);
    }

    /** {@return this setup with the command starting in {@code directory} (absolute, inside the container)} */
    public FilesystemSetup withWorkingDirectory(String directory) {
        return new FilesystemSetup(rootfs, readOnlyRoot, proc, dev, sys, mounts, directory);
    }

    /** {@return this setup with or without a fresh /proc} */
    public FilesystemSetup withProc(boolean mounted) {
        return new FilesystemSetup(rootfs, readOnlyRoot, mounted, dev, sys, mounts, workingDirectory);
    }

    /** {@return this setup with or without the minimal /dev (null, zero, full, random, urandom, tty, ptmx, pts, shm)} */
    public FilesystemSetup withDev(boolean mounted) {
        return new FilesystemSetup(rootfs, readOnlyRoot, proc, mounted, sys, mounts, workingDirectory);
    }

    /** {@return this setup with or without a read-only /sys} */
    public FilesystemSetup withSys(boolean mounted) {
        return new FilesystemSetup(rootfs, readOnlyRoot, proc, dev, mounted, mounts, workingDirectory);
    }

    /** {@return the root filesystem directory, or empty for a sandbox of the host's root} */
    public Optional<Path> rootfs() {
        return rootfs;
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

    /** {@return the mounts added on top of the root, in order} */
    public List<Mount> mounts() {
        return mounts;
    }

    /** {@return the directory the command starts in} */
    public String workingDirectory() {
        return workingDirectory;
    }
}
