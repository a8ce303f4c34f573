package dev.jrun.internal.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Reads cgroup statistics files: single numbers, "max", and "key value" lines. */
final class StatFiles {

    private static final String UNLIMITED = "max";

    private StatFiles() {
    }

    /** {@return the number in a one-number file; empty for "max" or a missing file} */
    static OptionalLong number(Path file) {
        String text = text(file);
        return text.isEmpty() || text.equals(UNLIMITED) ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    }

    /** {@return the "key value" lines of a file such as cpu.stat; empty for a missing file} */
    static Map<String, Long> keyed(Path file) {
        Map<String, Long> values = new HashMap<>();
        for (String line : text(file).split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length == 2 && fields[1].matches("-?\\d+")) {
                values.put(fields[0], Long.parseLong(fields[1]));
            }
        }
        return values;
    }

    /** {@return the file's content without the trailing newline; "" for a missing file} */
    static String text(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** {@return the PIDs listed in a cgroup.procs file} */
    static List<Integer> pids(Path procs) {
        String text = text(procs);
        return text.isEmpty() ? List.of() : text.lines().map(Integer::parseInt).toList();
    }
}
