package dev.jrun.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A plain text table: columns as wide as their widest cell, two spaces apart. */
final class Table {

    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(List.of(header));
    }

    Table row(Object... cells) {
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    @Override
    public String toString() {
        int columns = rows.getFirst().size();
        int[] widths = IntStream.range(0, columns)
                .map(c -> rows.stream().mapToInt(r -> r.get(c).length()).max().orElse(0)).toArray();
        return rows.stream()
                .map(r -> IntStream.range(0, columns)
                        .mapToObj(c -> c == columns - 1 ? r.get(c) : String.format("%-" + widths[c] + "s", r.get(c)))
                        .collect(Collectors.joining("  ")).stripTrailing())
                .collect(Collectors.joining(System.lineSeparator(), "", System.lineSeparator()));
    }
}
