package dev.jrun.internal.libc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Strings the launch stub hands to the kernel as C strings (paths, arguments, the environment,
 * mount options), where a NUL byte would end them early without a word: {@code /x\0/etc} is
 * {@code /x}; and the lists of C strings the kernel hands back.
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

    /**
     * {@return the strings of a list of NUL-terminated ones, in order}, as the kernel gives them
     * ({@code /proc/PID/cmdline}, {@code listxattr}): an empty string in the list is kept; bytes
     * after the last NUL are not a string
     */
    public static List<String> splitTerminated(byte[] list) {
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                strings.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return strings;
    }
}
