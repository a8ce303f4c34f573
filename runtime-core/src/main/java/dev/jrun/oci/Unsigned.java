package dev.jrun.oci;

import java.math.BigInteger;
import java.util.OptionalLong;

/**
 * Numbers the OCI spec declares unsigned 64-bit ({@code uint64}), which
 * {@link Spec} reads as {@link BigInteger} so that none is lost, brought into
 * a {@code long}.
 */
final class Unsigned {

    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(Long.SIZE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Unsigned() {
    }

    /**
     * {@return the 64 bits of {@code value}, as the kernel takes an unsigned number (2^64-1 becomes
     * -1); empty, with a problem at {@code path}, when it is negative or above 2^64-1}
     */
    static OptionalLong bits(BigInteger value, String path, Problems problems) {
        if (value.signum() < 0 || value.compareTo(TWO_TO_THE_64) >= 0) {
            problems.add(path, value + " is not an unsigned 64-bit number (0 to 2^64-1)");
            return OptionalLong.empty();
        }
        return OptionalLong.of(value.longValue());
    }

    /**
     * {@return {@code value}, for a number whose meaningful range is far below 2^63; empty, with a
     * problem at {@code path}, when it is negative or above 2^63-1}
     */
    static OptionalLong small(BigInteger value, String path, Problems problems) {
        if (value.signum() < 0 || value.compareTo(LONG_MAX) > 0) {
            problems.add(path, value + " is out of range (0 to " + Long.MAX_VALUE + ")");
            return OptionalLong.empty();
        }
        return OptionalLong.of(value.longValue());
    }
}
