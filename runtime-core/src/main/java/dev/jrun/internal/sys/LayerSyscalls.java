package dev.jrun.internal.sys;

import dev.jrun.SystemCallException;
import dev.jrun.bindings.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static dev.jrun.bindings.Libc.C_INT;
import static dev.jrun.bindings.Libc.C_LONG;
import static dev.jrun.bindings.Libc.C_POINTER;
import static dev.jrun.internal.sys.NativeFunction.quote;

/**
 * The calls the image store makes that NIO has no API for: overlay whiteouts (a 0/0 character
 * device, a {@code trusted.} extended attribute), device nodes of a layer, and the overlay mount
 * of a container's root. glibc's wrappers are not in the bindings, so they go through
 * {@code syscall(SYS_..., ...)}, as {@link Bpf} does.
 */
public final class LayerSyscalls {

    private static final NativeFunction MKNODAT = NativeFunction.variadic("mknodat", Libc.syscall::address,
            () -> Libc.syscall.makeInvoker().descriptor(), C_INT, C_POINTER, C_INT, C_LONG);
    private static final NativeFunction LSETXATTR = NativeFunction.variadic("lsetxattr", Libc.syscall::address,
            () -> Libc.syscall.makeInvoker().descriptor(), C_POINTER, C_POINTER, C_POINTER, C_LONG, C_INT);
    private static final NativeFunction MOUNT = NativeFunction.variadic("mount", Libc.syscall::address,
            () -> Libc.syscall.makeInvoker().descriptor(), C_POINTER, C_POINTER, C_POINTER, C_LONG, C_POINTER);
    private static final NativeFunction UMOUNT2 = NativeFunction.of("umount2", Libc::umount2$address,
            Libc::umount2$descriptor);

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
            MKNODAT.call(quote(path.toString()), (long) Libc.SYS_mknodat(), Libc.AT_FDCWD(),
                    arena.allocateFrom(path.toString()), type | permissions, device);
        }
    }

    /** Sets the extended attribute {@code name} of {@code path} itself (a symbolic link is not followed). */
    public static void setXattr(Path path, String name, byte[] value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, bytes, ValueLayout.JAVA_BYTE, 0, value.length);
            LSETXATTR.call(quote(path.toString()) + ", " + name, (long) Libc.SYS_lsetxattr(),
                    arena.allocateFrom(path.toString()), arena.allocateFrom(name), bytes, (long) value.length, 0);
        }
    }

    /** Mounts an overlay filesystem at {@code target} with the given comma-separated options. */
    public static void mountOverlay(Path target, String options) {
        try (Arena arena = Arena.ofConfined()) {
            MOUNT.call("overlay on " + quote(target.toString()), (long) Libc.SYS_mount(),
                    arena.allocateFrom("overlay"), arena.allocateFrom(target.toString()),
                    arena.allocateFrom("overlay"), 0L, arena.allocateFrom(options));
        }
    }

    /**
     * Detaches the mount at {@code target} ({@code MNT_DETACH}); a target that is no longer a
     * mount point is left alone.
     */
    public static void detach(Path target) {
        try (Arena arena = Arena.ofConfined()) {
            UMOUNT2.call(quote(target.toString()), arena.allocateFrom(target.toString()), Libc.MNT_DETACH());
        } catch (SystemCallException e) {
            if (e.errno() != Libc.EINVAL() && e.errno() != Libc.ENOENT()) {
                throw e;
            }
        }
    }
}
