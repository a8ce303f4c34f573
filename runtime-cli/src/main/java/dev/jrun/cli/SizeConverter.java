package dev.jrun.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/**
 * Parses a size as docker does: a number of bytes, optionally with a binary
 * unit b, k, m, g or t ({@code 32m} is 32 MiB); {@code -1} means unlimited.
 */
final class SizeConverter implements ITypeConverter<Long> {

    private static final String UNITS = "bkmgt";
    private static final int BITS_PER_UNIT = 10;

    @Override
    public Long convert(String value) {
        if (value.equals("-1")) {
            return -1L;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        int unit = lower.isEmpty() ? -1 : UNITS.indexOf(lower.charAt(lower.length() - 1));
        String digits = unit < 0 ? lower : lower.substring(0, lower.length() - 1);
        try {
            long number = Long.parseLong(digits);
            long shifted = number << (BITS_PER_UNIT * Math.max(unit, 0));
            if (number < 0 || shifted >>> (BITS_PER_UNIT * Math.max(unit, 0)) != number) {
                throw new TypeConversionException("size \"" + value + "\" is out of range");
            }
            return shifted;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("invalid size \"" + value + "\": use a number of bytes, optionally with"
                    + " a unit b, k, m, g or t (e.g. 32m), or -1 for unlimited");
        }
    }
}
