package dev.jrun.internal.libc;

import dev.jrun.bindings.Libc;

import java.lang.foreign.MemorySegment;

/**
 * errno names and texts, as glibc itself knows them ({@code strerrorname_np},
 * {@code strerrordesc_np}), so no table is typed by hand.
 */
public final class Errno {

    private static final long MAX_TEXT = 256;

    private Errno() {
    }

    /** {@return the symbolic name of an errno value, e.g. {@code ENOENT}; {@code E<n>} when unknown} */
    public static String name(int errno) {
        return text(Libc.strerrorname_np(errno), "E" + errno);
    }

    /** {@return the text of an errno value, e.g. "No such file or directory"} */
    public static String description(int errno) {
        return text(Libc.strerrordesc_np(errno), "Unknown error " + errno);
    }

    private static String text(MemorySegment cString, String fallback) {
        return cString.equals(MemorySegment.NULL) ? fallback : cString.reinterpret(MAX_TEXT).getString(0);
    }
}
