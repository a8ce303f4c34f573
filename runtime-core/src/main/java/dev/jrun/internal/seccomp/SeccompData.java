package dev.jrun.internal.seccomp;

import dev.jrun.bindings.seccomp_data;

/**
 * Offsets into {@code struct seccomp_data}, the input of a seccomp filter, from
 * the generated layout. Classic BPF loads 32-bit words, so a 64-bit argument is
 * read as two halves; on a little-endian machine the low half comes first.
 */
final class SeccompData {

    /** The system call number. */
    static final int NR = (int) seccomp_data.nr$offset();
    /** The AUDIT_ARCH_* value of the calling convention. */
    static final int ARCH = (int) seccomp_data.arch$offset();
    private static final int ARGS = (int) seccomp_data.args$offset();
    private static final int HALF = Integer.BYTES;

    private SeccompData() {
    }

    /** {@return the offset of the low 32 bits of argument {@code index}} */
    static int argLow(int index) {
        return ARGS + Long.BYTES * index;
    }

    /** {@return the offset of the high 32 bits of argument {@code index}} */
    static int argHigh(int index) {
        return argLow(index) + HALF;
    }

    /** {@return a description of what is at {@code offset}: sys_number, arch, args[1] >> 32...} */
    static String describe(int offset) {
        if (offset == NR) {
            return "sys_number";
        } else if (offset == ARCH) {
            return "arch";
        } else if (offset >= ARGS && (offset - ARGS) % HALF == 0) {
            int index = (offset - ARGS) / Long.BYTES;
            return (offset - ARGS) % Long.BYTES == 0 ? "args[" + index + "]" : "args[" + index + "] >> 32";
        }
        return "data[" + offset + "]";
    }
}
