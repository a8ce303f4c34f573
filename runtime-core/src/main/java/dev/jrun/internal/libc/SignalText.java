package dev.jrun.internal.libc;

import dev.jrun.bindings.Libc;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * Signal names and descriptions, as glibc itself knows them ({@code sigabbrev_np},
 * {@code sigdescr_np}), so no table is typed by hand.
 */
public final class SignalText {

    private static final long MAX_TEXT = 256;

    private SignalText() {
    }

    /** {@return the symbolic name of a signal, e.g. {@code SIGSYS}; {@code SIG<n>} when unknown} */
    public static String name(int signal) {
        MemorySegment abbreviation = Libc.sigabbrev_np(signal);
        return "SIG" + (abbreviation.equals(MemorySegment.NULL) ? signal : abbreviation.reinterpret(MAX_TEXT).getString(0));
    }

    /**
     * {@return what a signal means, in lower case as Go's runtime (so runc) words it, e.g. "bad system
     * call"; "signal n" when unknown}
     */
    public static String description(int signal) {
        MemorySegment text = Libc.sigdescr_np(signal);
        if (text.equals(MemorySegment.NULL)) {
            return "signal " + signal;
        }
        String description = text.reinterpret(MAX_TEXT).getString(0);
        return description.isEmpty() ? description
                : description.substring(0, 1).toLowerCase(Locale.ROOT) + description.substring(1);
    }
}
