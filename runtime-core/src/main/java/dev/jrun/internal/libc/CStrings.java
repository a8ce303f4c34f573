package dev.jrun.internal.libc;

/**
 * Strings the launch stub hands to the kernel as C strings (paths, arguments, the environment,
 * mount options), where a NUL byte would end them early without a word: {@code /x\0/etc} is
 * {@code /x}.
 */
public final class CStrings {

    private CStrings() {
    }

    /**
     * {@return {@code value}}
     *
     * @param what names the value in the message, e.g. {@code mount target}
     * @throws IllegalArgumentException if {@code value} holds a NUL byte
     */
    public static String requireNoNul(String what, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL byte: \"" + value.replace("\0", "\\0") + "\"");
        }
        return value;
    }
}
