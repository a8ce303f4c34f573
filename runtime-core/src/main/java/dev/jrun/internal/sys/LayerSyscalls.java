package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.libc.CStrings;
import dev.jrun.bindings.timespec;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * The calls the image store makes that NIO has no API for: overlay whiteouts (a 0/0 character
 * device, a {@code trusted.} extended attribute), device nodes of a layer, the extended attributes
 * and times of a layer's entries as a copied root takes them over, and the overlay mount of a
 * container's root, made through {@link RawSyscall}. None of them follows a symbolic link at the
 * path's last component.
 */
public final class LayerSyscalls {

    private LayerSyscalls() {
    }

    /**
     * Creates a device node or FIFO at {@code path} (not followed if it is a symbolic link's name).
     *
     * @param type S_IFCHR, S_IFBLK or S_IFIFO
     */
    public static void mknod(Path path, int type, int permissions, long major, long minor) {
        // The system call takes the kernel's 32-bit encoding (new_encode_dev), not glibc's dev_t.
        mknod(path, type | permissions, (minor & 0xffL | (major & 0xfffL) << 8 | (minor & ~0xffL) << 12) & 0xffff_ffffL);
    }

    /**
     * Creates a device node, FIFO or socket at {@code path} (not followed if it is a symbolic link's name).
     *
     * @param mode   the type bits and the permissions, as {@code st_mode} has them
     * @param device the device number as {@code stat} reports it ({@code st_rdev}), the kernel's encoding
     */
    public static void mknod(Path path, int mode, long device) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.MKNODAT.call(quote(path.toString()), Libc.AT_FDCWD(),
                    arena.allocateFrom(path.toString()).address(), mode, device);
        }
    }

    /** Sets the access and modification times of {@code path} itself (a symbolic link is not followed). */
    public static void setTimes(Path path, FileTime accessed, FileTime modified) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment times = timespec.allocateArray(2, arena);
            set(timespec.asSlice(times, 0), accessed.toInstant());
            set(timespec.asSlice(times, 1), modified.toInstant());
            RawSyscall.UTIMENSAT.call(quote(path.toString()), Libc.AT_FDCWD(), arena.allocateFrom(path.toString()).address(),
                    times.address(), Libc.AT_SYMLINK_NOFOLLOW());
        }
    }

    private static void set(MemorySegment time, Instant instant) {
        timespec.tv_sec(time, instant.getEpochSecond());
        timespec.tv_nsec(time, instant.getNano());
    }

    /** {@return the names of the extended attributes of {@code path} itself (a symbolic link is not followed)} */
    public static List<String> xattrNames(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment file = arena.allocateFrom(path.toString());
            byte[] names = readSized(size -> RawSyscall.LLISTXATTR.call(quote(path.toString()), file.address(),
                    size.address(), size.byteSize()), arena);
            return CStrings.splitTerminated(names);
        }
    }

    /** {@return the value of the extended attribute {@code name} of {@code path} itself; empty when it has none} */
    public static Optional<byte[]> xattr(Path path, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment file = arena.allocateFrom(path.toString());
            MemorySegment attribute = arena.allocateFrom(name);
            return Optional.of(readSized(value -> RawSyscall.LGETXATTR.call(quote(path.toString()) + ", " + name,
                    file.address(), attribute.address(), value.address(), value.byteSize()), arena));
        } catch (SystemCallException e) {
            if (e.errno() == Libc.ENODATA()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** A call that fills a buffer and returns the bytes it wrote, or with an empty buffer the bytes it needs. */
    private interface SizedRead {
        long into(MemorySegment buffer);
    }

    /** {@return what {@code read} gives, asked for its size first, again when it grew meanwhile ({@code ERANGE})} */
    private static byte[] readSized(SizedRead read, Arena arena) {
        while (true) {
            long size = read.into(MemorySegment.NULL);
            if (size == 0) {
                return new byte[0];
            }
            MemorySegment buffer = arena.allocate(size);
            try {
                return buffer.asSlice(0, read.into(buffer)).toArray(ValueLayout.JAVA_BYTE);
            } catch (SystemCallException e) {
                if (e.errno() != Libc.ERANGE()) {
                    throw e;
                }
            }
        }
    }

    /** Sets the extended attribute {@code name} of {@code path} itself (a symbolic link is not followed). */
    public static void setXattr(Path path, String name, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, bytes, ValueLayout.JAVA_BYTE, 0, value.length);
            RawSyscall.LSETXATTR.call(quote(path.toString()) + ", " + name, arena.allocateFrom(path.toString()).address(),
                    arena.allocateFrom(name).address(), bytes.address(), value.length, 0);
        }
    }

    /** Mounts an overlay filesystem at {@code target} with the given comma-separated options. */
    public static void mountOverlay(Path target, String options) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.MOUNT.call("overlay on " + quote(target.toString()), arena.allocateFrom("overlay").address(),
                    arena.allocateFrom(target.toString()).address(), arena.allocateFrom("overlay").address(), 0,
                    arena.allocateFrom(options).address());
        }
    }

    /**
     * Detaches the mount at {@code target} ({@code MNT_DETACH}); a target that is no longer a
     * mount point is left alone.
     */
    public static void detach(Path target) {
        try (Arena arena = Arena.ofConfined()) {
            RawSyscall.UMOUNT2.call(quote(target.toString()), arena.allocateFrom(target.toString()).address(),
                    Libc.MNT_DETACH());
        } catch (SystemCallException e) {
            if (e.errno() != Libc.EINVAL() && e.errno() != Libc.ENOENT()) {
                throw e;
            }
        }
    }
}
