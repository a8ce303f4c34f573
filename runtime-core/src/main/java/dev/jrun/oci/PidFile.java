package dev.jrun.oci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The {@code --pid-file} engines read: written whole or not at all, as runc does. */
final class PidFile {

    private PidFile() {
    }

    /** Writes {@code pid} to {@code file} atomically (a reader never sees a partial number). */
    static void write(Path file, int pid) {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".jrun-new");
        try {
            Files.writeString(temporary, Integer.toString(pid));
            Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("write the pid file " + file, e);
        }
    }
}
