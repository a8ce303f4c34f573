package dev.jrun.internal.userns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ranges of {@code /etc/subuid} and {@code /etc/subgid}: host IDs that a
 * user may map into user namespaces it creates, through the set-uid helpers
 * {@code newuidmap} and {@code newgidmap} (Debian package {@code uidmap}).
 */
public final class SubordinateIds {

    /** The file of subordinate user IDs. */
    public static final Path SUBUID = Path.of("/etc/subuid");
    /** The file of subordinate group IDs. */
    public static final Path SUBGID = Path.of("/etc/subgid");

    /** {@code count} host IDs from {@code start}. */
    public record Range(long start, long count) {
        /** {@return the first ID after the range} */
        public long end() {
            return start + count;
        }
    }

    private SubordinateIds() {
    }

    /** {@return the ranges {@code file} gives the user, named by name or by number; none if there is no such file} */
    public static List<Range> of(Path file, String user, long id) {
        return entries(file).stream()
                .filter(e -> e.owner().equals(user) || e.owner().equals(Long.toString(id)))
                .map(Entry::range)
                .toList();
    }

    /** {@return every range the file lists, whoever owns it} */
    public static List<Range> all(Path file) {
        return entries(file).stream().map(Entry::range).toList();
    }

    private record Entry(String owner, Range range) {
    }

    private static List<Entry> entries(Path file) {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : readLines(file)) {
            String[] fields = line.strip().split(":");
            if (fields.length != 3 || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(new Entry(fields[0], new Range(Long.parseLong(fields[1]), Long.parseLong(fields[2]))));
            } catch (NumberFormatException e) {
                // a malformed line means nothing to newuidmap either
            }
        }
        return entries;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }
}
