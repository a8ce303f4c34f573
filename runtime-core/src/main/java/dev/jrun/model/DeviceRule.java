package dev.jrun.model;

import java.util.List;

/**
 * One entry of a container's device access list (OCI
 * {@code linux.resources.devices}): whether processes may create, read or write
 * device nodes of a kind. Entries apply in order; for a device the last entry
 * that matches it decides, and a device no entry matches is denied.
 *
 * @param allow  whether the entry allows (or denies) the access
 * @param type   the kind of device
 * @param major  the major number, or {@link #ANY}
 * @param minor  the minor number, or {@link #ANY}
 * @param access some of {@code r} (read), {@code w} (write) and {@code m} (mknod)
 */
public record DeviceRule(boolean allow, Type type, long major, long minor, String access) {

    /** A major or minor number that matches every device. */
    public static final long ANY = -1;

    /** The kind of device an entry is about. */
    public enum Type {
        /** Every device, character and block. */
        ALL('a'),
        /** Character devices. */
        CHAR('c'),
        /** Block devices. */
        BLOCK('b');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        /** {@return the letter the OCI spec and the v1 devices controller use: a, c or b} */
        public char letter() {
            return letter;
        }

        /**
         * {@return the type with this letter}
         *
         * @throws IllegalArgumentException unless it is a, c or b
         */
        public static Type of(String letter) {
            for (Type type : values()) {
                if (letter.length() == 1 && letter.charAt(0) == type.letter) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown device type \"" + letter + "\": use a (all), c (char) or b (block)");
        }
    }

    public DeviceRule {
        if (access.isEmpty() || !access.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm')
                || access.chars().distinct().count() != access.length()) {
            throw new IllegalArgumentException("invalid device access \"" + access + "\": use some of r, w and m");
        }
        if (major < ANY || minor < ANY) {
            throw new IllegalArgumentException("invalid device number " + major + ":" + minor);
        }
    }

    /** {@return an entry allowing {@code access} to the char or block device major:minor} */
    public static DeviceRule allow(Type type, long major, long minor, String access) {
        return new DeviceRule(true, type, major, minor, access);
    }

    /** {@return an entry denying all access to every device: the usual first entry} */
    public static DeviceRule denyAll() {
        return new DeviceRule(false, Type.ALL, ANY, ANY, "rwm");
    }

    /**
     * {@return what {@code jrun run} gives, as runc and Docker do: every device denied, except
     * creating nodes (mknod) and using null, zero, full, random, urandom, tty, console, ptmx and
     * pseudo-terminals}
     */
    public static List<DeviceRule> containerDefaults() {
        return List.of(
                denyAll(),
                allow(Type.CHAR, ANY, ANY, "m"),
                allow(Type.BLOCK, ANY, ANY, "m"),
                allow(Type.CHAR, 1, 3, "rwm"),     // /dev/null
                allow(Type.CHAR, 1, 5, "rwm"),     // /dev/zero
                allow(Type.CHAR, 1, 7, "rwm"),     // /dev/full
                allow(Type.CHAR, 1, 8, "rwm"),     // /dev/random
                allow(Type.CHAR, 1, 9, "rwm"),     // /dev/urandom
                allow(Type.CHAR, 5, 0, "rwm"),     // /dev/tty
                allow(Type.CHAR, 5, 1, "rwm"),     // /dev/console
                allow(Type.CHAR, 5, 2, "rwm"),     // /dev/ptmx
                allow(Type.CHAR, 136, ANY, "rwm")); // /dev/pts/*
    }

    private static String number(long n) {
        return n == ANY ? "*" : Long.toString(n);
    }

    @Override
    public String toString() {
        return (allow ? "allow " : "deny ") + type.letter + " " + number(major) + ":" + number(minor) + " " + access;
    }
}
