package dev.jrun.internal.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The extended attributes in the raw records of a PAX extended header ({@code "LENGTH KEY=VALUE\n"},
 * LENGTH counting the whole record, VALUE any bytes): GNU tar's and Go's
 * {@code SCHILY.xattr.NAME=VALUE}, and libarchive's {@code LIBARCHIVE.xattr.NAME=BASE64} (NAME
 * percent-encoded), which bsdtar writes beside the former.
 */
final class PaxXattrs {

    private static final String SCHILY = "SCHILY.xattr.";
    private static final String LIBARCHIVE = "LIBARCHIVE.xattr.";

    private PaxXattrs() {
    }

    /**
     * {@return the attributes of {@code records}, by name; a SCHILY record wins over a libarchive one}
     *
     * @throws IOException when a record is malformed
     */
    static Map<String, byte[]> of(byte[] records) throws IOException {
        try {
            return parse(records);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("malformed PAX extended header: " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> parse(byte[] records) {
        Map<String, byte[]> schily = new LinkedHashMap<>();
        Map<String, byte[]> libarchive = new LinkedHashMap<>();
        int start = 0;
        while (start < records.length && records[start] != 0) {
            int space = indexOf(records, (byte) ' ', start);
            int length = Integer.parseInt(new String(records, start, space - start, StandardCharsets.US_ASCII));
            int end = start + length;
            int equals = indexOf(records, (byte) '=', space);
            String key = new String(records, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            // The value ends before the record's newline.
            byte[] value = Arrays.copyOfRange(records, equals + 1, end - 1);
            if (key.startsWith(SCHILY)) {
                schily.put(key.substring(SCHILY.length()), value);
            } else if (key.startsWith(LIBARCHIVE)) {
                libarchive.put(percentDecoded(key.substring(LIBARCHIVE.length())), Base64.getDecoder().decode(value));
            }
            start = end;
        }
        libarchive.putAll(schily);
        return libarchive;
    }

    /** libarchive's encoding of a name: {@code %XX} for a byte that is not printable ASCII, {@code %} or {@code =}. */
    private static String percentDecoded(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '%') {
                bytes.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(name.charAt(i));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("a PAX record without '" + (char) wanted + "'");
    }
}
