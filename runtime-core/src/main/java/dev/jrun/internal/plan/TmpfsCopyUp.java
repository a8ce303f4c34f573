package dev.jrun.internal.plan;

import dev.jrun.bindings.Libc;
import dev.jrun.bindings.timespec;
import dev.jrun.internal.flags.Flag;
import dev.jrun.launch.Arg;
import dev.jrun.model.IdMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.jrun.launch.Arg.NULL;
import static dev.jrun.launch.Arg.number;
import static dev.jrun.launch.Arg.text;
import static dev.jrun.launch.Syscall.CLOSE;
import static dev.jrun.launch.Syscall.FCHMOD;
import static dev.jrun.launch.Syscall.FCHMODAT;
import static dev.jrun.launch.Syscall.FCHOWNAT;
import static dev.jrun.launch.Syscall.MKDIRAT;
import static dev.jrun.launch.Syscall.MKNODAT;
import static dev.jrun.launch.Syscall.OPENAT;
import static dev.jrun.launch.Syscall.OPENAT2;
import static dev.jrun.launch.Syscall.SENDFILE;
import static dev.jrun.launch.Syscall.SYMLINKAT;
import static dev.jrun.launch.Syscall.UTIMENSAT;

/**
 * The steps that fill a new, still detached tmpfs with a copy of what the image
 * has at its target (the {@code tmpcopyup} mount option podman sends for
 * {@code --tmpfs} and {@code --read-only}): directories, files, symlinks as
 * links, device nodes and FIFOs, each with its mode, owner and times.
 *
 * <p>Java lists the image's directory while compiling and emits one group of
 * steps per entry; the stub copies by descriptor only. Every source entry is
 * opened relative to its directory's descriptor with
 * {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}, so a symlink in the image is
 * copied as a link and never followed, and one swapped in after compiling
 * makes the launch fail instead of reading the host. Everything is written
 * relative to descriptors of the new tmpfs, which nothing else can reach.
 * A file is copied up to the size it had when the plan was compiled.
 */
final class TmpfsCopyUp {

    /** The most {@code sendfile} moves in one call. */
    private static final long SENDFILE_MAX = 0x7ffff000L;
    private static final int PERMISSIONS = 07777;
    private static final int SET_ID_BITS = 06000;
    private static final Flag[] SOURCE_DIRECTORY = {Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_CLOEXEC};
    // Non-blocking: a FIFO swapped in for a file must not stall the launch.
    private static final Flag[] SOURCE_FILE = {Flag.O_RDONLY, Flag.O_NONBLOCK, Flag.O_CLOEXEC};

    private final PlanBuilder plan;
    private final List<IdMapping> uidMappings;
    private final List<IdMapping> gidMappings;

    /**
     * @param uidMappings the container's uid maps, empty without a user namespace: the owners on
     *                    disk are host IDs, and the stub sets them from inside the container's
     *                    user namespace
     * @param gidMappings the container's gid maps, likewise
     */
    TmpfsCopyUp(PlanBuilder plan, List<IdMapping> uidMappings, List<IdMapping> gidMappings) {
        this.plan = plan;
        this.uidMappings = uidMappings;
        this.gidMappings = gidMappings;
    }

    /**
     * Emits the steps that copy what is in {@code onDisk} (the image's directory that the
     * container sees at {@code containerPath}) from the directory step {@code source} opened
     * into the tmpfs step {@code target} returned.
     */
    void copy(Path onDisk, String containerPath, int source, int target) {
        for (Path entry : entries(onDisk)) {
            copyEntry(entry, containerPath + "/" + entry.getFileName(), source, target);
        }
    }

    private void copyEntry(Path entry, String containerPath, int sourceDirectory, int targetDirectory) {
        Map<String, Object> attributes = attributes(entry);
        int mode = (Integer) attributes.get("mode");
        Arg in = new Arg.ResultOf(targetDirectory);
        Arg name = text(entry.getFileName().toString());
        if ((Boolean) attributes.get("isDirectory")) {
            plan.add("create directory " + containerPath + " in the tmpfs", MKDIRAT, in, name, Arg.mode(mode & PERMISSIONS));
            int source = plan.add("open the image's directory " + containerPath + ", which has no symlink", OPENAT2,
                    new Arg.ResultOf(sourceDirectory), name, OpenHow.of(SOURCE_DIRECTORY, beneath()), number(OpenHow.SIZE));
            int target = plan.add("open directory " + containerPath + " in the tmpfs", OPENAT, in, name,
                    Flag.all(Flag.O_PATH, Flag.O_DIRECTORY, Flag.O_NOFOLLOW, Flag.O_CLOEXEC), number(0));
            copy(entry, containerPath, source, target);
            plan.add("close the image's directory " + containerPath, CLOSE, new Arg.ResultOf(source));
            plan.add("close directory " + containerPath + " in the tmpfs", CLOSE, new Arg.ResultOf(target));
            setOwner(in, name, containerPath, attributes);
            if ((mode & SET_ID_BITS) != 0) {
                // mkdir leaves the set-ID bits out; the directory is the tmpfs's own, no symlink.
                plan.add("set the mode of " + containerPath, FCHMODAT, in, name, Arg.mode(mode & PERMISSIONS), number(0));
            }
        } else if ((Boolean) attributes.get("isRegularFile")) {
            copyFile(containerPath, sourceDirectory, in, name, attributes);
        } else if ((Boolean) attributes.get("isSymbolicLink")) {
            plan.add("link " + containerPath + " to " + linkTarget(entry) + " in the tmpfs", SYMLINKAT,
                    text(linkTarget(entry)), in, name);
            setOwner(in, name, containerPath, attributes);
        } else {
            // A device node, FIFO or socket: mknod makes each from its type bits and number.
            long device = ((Number) attributes.get("rdev")).longValue();
            plan.add("create " + containerPath + " in the tmpfs", MKNODAT, in, name, Arg.mode(mode), number(device));
            setOwner(in, name, containerPath, attributes);
        }
        plan.add("set the times of " + containerPath, UTIMENSAT, in, name, times(attributes),
                Flag.AT_SYMLINK_NOFOLLOW.arg());
    }

    private void copyFile(String containerPath, int sourceDirectory, Arg in, Arg name, Map<String, Object> attributes) {
        int mode = (Integer) attributes.get("mode");
        int source = plan.add("open the image's file " + containerPath + ", which is no symlink", OPENAT2,
                new Arg.ResultOf(sourceDirectory), name, OpenHow.of(SOURCE_FILE, beneath()), number(OpenHow.SIZE));
        int target = plan.add("create file " + containerPath + " in the tmpfs", OPENAT, in, name,
                Flag.all(Flag.O_WRONLY, Flag.O_CREAT, Flag.O_EXCL, Flag.O_NOFOLLOW, Flag.O_CLOEXEC),
                Arg.mode(mode & 0777));
        for (long left = (Long) attributes.get("size"); left > 0; left -= SENDFILE_MAX) {
            plan.add("copy " + containerPath, SENDFILE, new Arg.ResultOf(target), new Arg.ResultOf(source), NULL,
                    number(Math.min(left, SENDFILE_MAX)));
        }
        plan.add("close the image's file " + containerPath, CLOSE, new Arg.ResultOf(source));
        setOwner(in, name, containerPath, attributes);
        if ((mode & SET_ID_BITS) != 0) {
            // After the owner: chown clears the set-ID bits.
            plan.add("set the mode of " + containerPath, FCHMOD, new Arg.ResultOf(target), Arg.mode(mode & PERMISSIONS));
        }
        plan.add("close file " + containerPath + " in the tmpfs", CLOSE, new Arg.ResultOf(target));
    }

    private void setOwner(Arg in, Arg name, String containerPath, Map<String, Object> attributes) {
        long uid = containerId(uidMappings, (Integer) attributes.get("uid"));
        long gid = containerId(gidMappings, (Integer) attributes.get("gid"));
        if (uid != 0 || gid != 0) {
            plan.add("set the owner of " + containerPath, FCHOWNAT, in, name, number(uid), number(gid),
                    Flag.AT_SYMLINK_NOFOLLOW.arg());
        }
    }

    /**
     * {@return the container's ID for a host ID on disk, or -1 (leave it) for one the maps do not
     * cover}; without maps the IDs are the same
     */
    private static long containerId(List<IdMapping> mappings, long hostId) {
        if (mappings.isEmpty()) {
            return hostId;
        }
        return mappings.stream().filter(m -> hostId >= m.hostId() && hostId < m.hostId() + m.size())
                .mapToLong(m -> hostId - m.hostId() + m.containerId()).findFirst().orElse(-1);
    }

    private static Flag[] beneath() {
        return new Flag[] {Flag.RESOLVE_BENEATH, Flag.RESOLVE_NO_SYMLINKS};
    }

    /** {@return the two {@code struct timespec} of {@code utimensat}: access, then modification} */
    private static Arg times(Map<String, Object> attributes) {
        Instant accessed = ((FileTime) attributes.get("lastAccessTime")).toInstant();
        Instant modified = ((FileTime) attributes.get("lastModifiedTime")).toInstant();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment times = timespec.allocateArray(2, arena);
            set(timespec.asSlice(times, 0), accessed);
            set(timespec.asSlice(times, 1), modified);
            return new Arg.Bytes(times.toArray(ValueLayout.JAVA_BYTE), "[" + render(accessed) + ", " + render(modified) + "]");
        }
    }

    private static void set(MemorySegment time, Instant instant) {
        timespec.tv_sec(time, instant.getEpochSecond());
        timespec.tv_nsec(time, instant.getNano());
    }

    private static String render(Instant instant) {
        return "{tv_sec=" + instant.getEpochSecond() + ", tv_nsec=" + instant.getNano() + "}";
    }

    private static List<Path> entries(Path directory) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException("list " + directory + " to copy it into a tmpfs", e);
        }
        entries.sort(null);
        return entries;
    }

    private static Map<String, Object> attributes(Path entry) {
        try {
            return Files.readAttributes(entry, "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("read the attributes of " + entry + " to copy it into a tmpfs", e);
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("read the symlink " + link + " to copy it into a tmpfs", e);
        }
    }
}
