package dev.jrun.internal.plan;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.flags.Flag;
import dev.jrun.launch.Arg;

import java.util.Set;
import java.util.function.Predicate;

import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.MKDIRAT;
import static dev.jrun.launch.Syscall.MKNODAT;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.OPENAT2;

/**
 * Steps that reach paths of the container's root while the stub builds it, by
 * descriptor and never by path: the kernel resolves each one with
 * {@code openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)} relative to a
 * descriptor of the root, at the moment the stub needs it and with every
 * earlier mount in place. A symlink, whether in the image, in a volume the
 * container shares or swapped in while the container starts, resolves inside
 * the root, as it would for the container itself; nothing can lead a mount or
 * a new file onto the host. What is missing is created relative to the
 * descriptor of its parent directory, never through a path.
 *
 * <p>Java's view of the root (the {@code exists} predicate) only decides which
 * create steps to emit; a path that it thinks is there and is not makes the
 * launch fail, never escape.
 */
final class ContainerPaths {

    /** What to create at a path that is missing. */
    enum Kind { DIRECTORY, FILE }

    private static final Set<Integer> ALREADY_THERE = Set.of(Libc.EEXIST());
    private static final Set<Integer> ABSENT = Set.of(Libc.ENOENT(), Libc.ENOTDIR());

    private final PlanBuilder plan;
    private final Predicate<String> exists;
    private final int root;

    /**
     * Emits the step that opens the root, which must be in place at {@code rootDirectory} of
     * the stub's own (trusted) tree.
     *
     * @param exists whether a path of the container is there already, so no step creates it;
     *               it may throw to refuse a path that cannot be created
     */
    ContainerPaths(PlanBuilder plan, String rootDirectory, Predicate<String> exists) {
        this.plan = plan;
        this.exists = exists;
        this.root = plan.add("open the container's root " + rootDirectory, OPENAT, Flag.AT_FDCWD.arg(),
                text(rootDirectory), Flag.all(Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_CLOEXEC), number(0));
    }

    /**
     * Emits the steps that create {@code path} if it is missing (a {@code kind} at its end,
     * directories above it) and open it; {@return the step whose result is an {@code O_PATH}
     * descriptor of it}, which the caller closes. A directory is opened as one: a file where a
     * directory should be fails that step with {@code ENOTDIR}.
     */
    int create(String path, Kind kind) {
        createParents(path);
        if (!exists.test(path)) {
            createEntry(path, kind);
        }
        String description = "open " + path + " in the container's root";
        return kind == Kind.DIRECTORY ? open(path, description, Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_CLOEXEC)
                : open(path, description, Flag.O_PATH, Flag.O_CLOEXEC);
    }

    /**
     * Emits the steps that create the directories above {@code path} and open its parent;
     * {@return the step whose result is a descriptor of the parent}, to make {@code path} in with
     * {@link #name(String)}; close it with {@link #close(int, String)}
     */
    int createParent(String path) {
        createParents(path);
        return openDirectory(parent(path));
    }

    /**
     * Emits a step that opens {@code path} if it is there, and continues at {@code ifAbsent} when
     * it or a directory above it is not; {@return the step whose result is its descriptor}
     */
    int openIfPresent(String path, PlanBuilder.Label ifAbsent) {
        return plan.addSkippingOn(ABSENT, ifAbsent, "open " + path + " in the container's root if it is there",
                OPENAT2, new Arg.ResultOf(root), text(path), how(Flag.O_PATH, Flag.O_CLOEXEC), number(OpenHow.SIZE));
    }

    /**
     * Emits a step that opens the directory {@code path}, which Java resolved to a path without
     * symlinks, to read what the image has there: the kernel refuses any symlink on the way
     * ({@code ELOOP}), one swapped in after compiling included; {@return the step whose result is
     * an {@code O_PATH} descriptor of it}
     */
    int openDirectoryWithoutSymlinks(String path) {
        return plan.add("open the image's " + path + ", which has no symlink", OPENAT2, new Arg.ResultOf(root),
                text(path.equals("/") ? "." : path.substring(1)),
                OpenHow.of(new Flag[] {Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_CLOEXEC},
                        Flag.RESOLVE_BENEATH, Flag.RESOLVE_NO_SYMLINKS), number(OpenHow.SIZE));
    }

    /** Emits a step that closes the descriptor step {@code fd} returned, unless it is the root's. */
    void close(int fd, String path) {
        if (fd != root) {
            plan.add("close " + path, CLOSE, new Arg.ResultOf(fd));
        }
    }

    /** Emits a step that closes the root's descriptor, before the root is entered. */
    void close() {
        plan.add("close the container's root", CLOSE, new Arg.ResultOf(root));
    }

    /** {@return the last name of {@code path}} */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private void createParents(String path) {
        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
            String directory = path.substring(0, slash);
            if (!exists.test(directory)) {
                createEntry(directory, Kind.DIRECTORY);
            }
        }
    }

    /** Creates a missing entry in its parent, by the parent's descriptor; one that appeared meanwhile is kept. */
    private void createEntry(String path, Kind kind) {
        String parent = parent(path);
        int directory = openDirectory(parent);
        Arg in = new Arg.ResultOf(directory);
        switch (kind) {
            case DIRECTORY -> plan.addTolerating(ALREADY_THERE, "create directory " + path, MKDIRAT,
                    in, text(name(path)), Arg.mode(0755));
            case FILE -> plan.addTolerating(ALREADY_THERE, "create file " + path + " to mount on", MKNODAT,
                    in, text(name(path)), Flag.all(Flag.S_IFREG), number(0));
        }
        close(directory, parent);
    }

    private int openDirectory(String path) {
        if (path.equals("/")) {
            return root;
        }
        return open(path, "open directory " + path + " in the container's root",
                Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_CLOEXEC);
    }

    private int open(String path, String description, Flag... flags) {
        return plan.add(description, OPENAT2, new Arg.ResultOf(root), text(path), how(flags), number(OpenHow.SIZE));
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** An {@code open_how} that keeps the lookup inside the root and off magic links such as /proc/self/fd. */
    private static Arg how(Flag... flags) {
        return OpenHow.of(flags, Flag.RESOLVE_IN_ROOT, Flag.RESOLVE_NO_MAGICLINKS);
    }
}
