package dev.jrun.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of this JVM's classpath that any user can read: the Maven repository under root's home is
 * not, so a CLI run as another user gets its jars and class directories from here.
 */
final class ReadableClasspath {

    private ReadableClasspath() {
    }

    /** Copies every classpath entry into {@code directory} and {@return the classpath of the copies} */
    static String copyInto(Path directory) {
        List<String> entries = new ArrayList<>();
        String[] classpath = System.getProperty("java.class.path").split(File.pathSeparator);
        try {
            makeReadable(directory);
            for (int i = 0; i < classpath.length; i++) {
                Path source = Path.of(classpath[i]);
                if (Files.exists(source)) {
                    Path copy = directory.resolve(i + "-" + source.getFileName());
                    copyTree(source, copy);
                    entries.add(copy.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path path : tree.toList()) {
                Path copy = target.resolve(source.relativize(path).toString());
                Files.copy(path, copy);
                makeReadable(copy);
            }
        }
    }

    private static void makeReadable(Path path) throws IOException {
        Files.setPosixFilePermissions(path,
                PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
    }
}
