package dev.jrun.internal.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The huge page sizes this host has, as the hugetlb controller names them (2MB, 1GB). */
final class HugePageSizes {

    private static final Path HUGEPAGES = Path.of("/sys/kernel/mm/hugepages");
    private static final String PREFIX = "hugepages-";
    private static final long KB_PER_MB = 1024;
    private static final long KB_PER_GB = 1024 * 1024;

    private HugePageSizes() {
    }

    /**
     * Checks that the host has pages of {@code size}.
     *
     * @throws IllegalArgumentException naming the sizes it has
     */
    static void requireSupported(String size) {
        List<String> sizes = sizes();
        if (!sizes.contains(size)) {
            throw new IllegalArgumentException("huge page size " + size + " is not one this host has ("
                    + (sizes.isEmpty() ? "it has none" : String.join(", ", sizes)) + ")");
        }
    }

    private static List<String> sizes() {
        if (!Files.isDirectory(HUGEPAGES)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(HUGEPAGES)) {
            return dirs.map(dir -> dir.getFileName().toString())
                    .filter(name -> name.startsWith(PREFIX) && name.endsWith("kB"))
                    .map(name -> name(Long.parseLong(name.substring(PREFIX.length(), name.length() - 2))))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + HUGEPAGES, e);
        }
    }

    /** {@return the kernel's name for a size in kB: 2048 is 2MB, 1048576 is 1GB} */
    static String name(long kb) {
        if (kb % KB_PER_GB == 0) {
            return kb / KB_PER_GB + "GB";
        }
        return kb % KB_PER_MB == 0 ? kb / KB_PER_MB + "MB" : kb + "KB";
    }
}
