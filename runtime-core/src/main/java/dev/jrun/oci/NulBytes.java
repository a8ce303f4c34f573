package dev.jrun.oci;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Finds NUL bytes in the strings of a configuration, each at its JSON path. The kernel takes
 * paths, arguments, the environment and names as C strings, which a NUL byte would cut short
 * without a word ({@code /x\0/etc} is {@code /x}), so such a string is refused before anything
 * else is checked. The walk follows the {@link Spec} records, whose components carry the JSON
 * names; annotations are exempt (metadata, which hooks get as JSON), and sections kept as raw JSON
 * are refused by name anyway.
 */
final class NulBytes {

    private static final String FOUND = "contains a NUL byte";

    private NulBytes() {
    }

    /** Adds a problem for each string of {@code value} (a {@link Spec} or a part of one) with a NUL byte. */
    static void find(Object value, String path, Problems problems) {
        switch (value) {
            case String text when text.indexOf('\0') >= 0 -> problems.add(path, FOUND);
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    find(list.get(i), path + "[" + i + "]", problems);
                }
            }
            case Map<?, ?> map -> map.forEach((key, entry) -> {
                String name = String.valueOf(key);
                String at = path + "[\"" + name.replace("\0", "\\0") + "\"]";
                if (name.indexOf('\0') >= 0) {
                    problems.add(at, "the name " + FOUND);
                }
                find(entry, at, problems);
            });
            case Record record -> {
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    if (!(record instanceof Spec && component.getName().equals("annotations"))) {
                        String name = component.getName();
                        find(read(component, record), path.isEmpty() ? name : path + "." + name, problems);
                    }
                }
            }
            case null, default -> {
                // No text: a number, a boolean, or raw JSON of a section jrun refuses by name.
            }
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("read " + component.getName() + " of " + record.getClass().getSimpleName(), e);
        }
    }
}
