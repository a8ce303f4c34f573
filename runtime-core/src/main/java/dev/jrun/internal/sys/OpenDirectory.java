package dev.jrun.internal.sys;

import dev.jrun.bindings.Libc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A directory held by a descriptor ({@code O_PATH}), whose entries are reached as
 * {@code /proc/self/fd/N/NAME}: the kernel resolves {@code /proc/self/fd/N} to this very
 * directory, whatever became of the path it was opened by, so a call on an entry's path reaches
 * exactly NAME in it, and a call that does not follow a symbolic link at its last component
 * (lstat, lchown, mkdir, symlink, unlink, {@code O_CREAT | O_EXCL}) follows none at all.
 * Directories below are opened with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}: never
 * through a symbolic link, never outside.
 */
public final class OpenDirectory implements AutoCloseable {

    private static final long BENEATH = Libc.RESOLVE_BENEATH() | Libc.RESOLVE_NO_SYMLINKS() | Libc.RESOLVE_NO_MAGICLINKS();

    private final int fd;

    private OpenDirectory(int fd) {
        this.fd = fd;
    }

    /** {@return the directory {@code path}, opened; its last component may not be a symbolic link} */
    public static OpenDirectory open(Path path) {
        return new OpenDirectory(Descriptors.open(path.toString(), Libc.O_PATH() | Libc.O_DIRECTORY() | Libc.O_NOFOLLOW()));
    }

    /**
     * {@return the directory {@code relative} below this one, opened} Each of its components must
     * be a directory of this tree, not a symbolic link.
     *
     * @throws dev.jrun.model.SystemCallException {@code ELOOP} at a symbolic link, {@code ENOTDIR} at another file
     */
    public OpenDirectory directory(String relative) {
        return new OpenDirectory(Descriptors.openat2(fd, relative, Libc.O_PATH() | Libc.O_DIRECTORY(), BENEATH));
    }

    /** {@return the path of the entry {@code name} (one component, or {@code .} for the directory itself)} */
    public Path entry(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("not a single name: \"" + name + "\"");
        }
        return Path.of("/proc/self/fd/" + fd, name);
    }

    /** {@return the names of its entries, {@code .} and {@code ..} left out} */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc/self/fd/" + fd))) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        }
        return names;
    }

    @Override
    public void close() {
        Descriptors.close(fd);
    }

    @Override
    public String toString() {
        return "directory descriptor " + fd;
    }
}
