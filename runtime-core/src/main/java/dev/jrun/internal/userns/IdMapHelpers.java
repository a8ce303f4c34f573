package dev.jrun.internal.userns;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/** Finds the set-uid helpers {@code newuidmap} and {@code newgidmap} (Debian package {@code uidmap}). */
final class IdMapHelpers {

    static final String NEWUIDMAP = "newuidmap";
    static final String NEWGIDMAP = "newgidmap";
    private static final String DEFAULT_PATH = "/usr/bin:/bin:/usr/sbin:/sbin";

    private IdMapHelpers() {
    }

    /** {@return the helper's path, searched in PATH and the usual directories} */
    static Optional<Path> find(String helper) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + DEFAULT_PATH;
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> dir.startsWith("/"))
                .map(dir -> Path.of(dir, helper))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
