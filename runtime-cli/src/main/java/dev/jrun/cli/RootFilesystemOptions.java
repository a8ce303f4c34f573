package dev.jrun.cli;

import dev.jrun.model.FilesystemSetup;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code run}'s {@code --read-only} and {@code --tmpfs}, docker's flags for a container's root. */
final class RootFilesystemOptions {

    @Option(names = "--read-only",
            description = "Mount the container's root read-only (an image's or --rootfs's; the sandbox's always is):"
                    + " writes fail with EROFS except in /dev, /dev/shm and the tmpfs of --tmpfs.")
    private boolean readOnly;

    @Option(names = "--tmpfs", paramLabel = "PATH[:OPTIONS]", converter = TmpfsConverter.class,
            description = "Mount an empty tmpfs at PATH (repeatable), noexec, nosuid and nodev as docker's, then"
                    + " OPTIONS, comma-separated: mount flags (ro, exec...) and tmpfs's (size=64m, mode=1777...).")
    private List<FilesystemSetup.Generic> tmpfs = new ArrayList<>();

    /** {@return whether either option was given} */
    boolean given() {
        return readOnly || !tmpfs.isEmpty();
    }

    /** {@return {@code filesystem} with the tmpfs mounts added, its root read-only if asked} */
    FilesystemSetup applyTo(FilesystemSetup filesystem) {
        FilesystemSetup result = readOnly ? filesystem.withReadOnlyRoot(true) : filesystem;
        for (FilesystemSetup.Generic mount : tmpfs) {
            result = result.withMount(mount);
        }
        return result;
    }
}
