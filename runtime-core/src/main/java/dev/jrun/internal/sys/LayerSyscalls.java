package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;
import dev.jrun.model.SystemCallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * The calls the image store makes that NIO has no API for: overlay whiteouts (a 0/0 character
 * device, a {@code trusted.} extended attribute), device nodes of a layer, and the overlay mount
 * of a container's root, made through {@link RawSyscall}.
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
        try (Arena arena = Arena.ofConfined()) {
            // The system call takes the kernel's 32-bit encoding (new_encode_dev), not glibc's dev_t.
            long device = (minor & 0xffL | (major & 0xfffL) << 8 | (minor & ~0xffL) << 12) & 0xffff_ffffL;
            RawSyscall.MKNODAT.call(quote(path.toString()), Libc.AT_FDCWD(),
                    arena.allocateFrom(path.toString()).address(), type | permissions, device);
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
