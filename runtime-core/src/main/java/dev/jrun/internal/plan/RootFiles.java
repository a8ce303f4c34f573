package dev.jrun.internal.plan;

import dev.jrun.model.RootOverlay;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of a container's root as Java reads them while it compiles the plan: the root
 * directory on disk, or, for a root the container mounts itself ({@link RootOverlay}), the file
 * its overlay will show, found in the layers.
 *
 * @param root    the root directory, the overlay's mount point for an overlay root
 * @param overlay the overlay the container mounts there, if any
 */
record RootFiles(Path root, Optional<RootOverlay> overlay) {

    /**
     * {@return the file on disk that the container will see at {@code containerPath}; empty when
     * there is none}
     *
     * @param containerPath an absolute path inside the root, with no symbolic link before its last name
     */
    Optional<Path> find(String containerPath) {
        if (overlay.isPresent()) {
            return overlay.get().find(containerPath);
        }
        Path onDisk = root.resolve(containerPath.substring(1));
        return Files.exists(onDisk, LinkOption.NOFOLLOW_LINKS) ? Optional.of(onDisk) : Optional.empty();
    }
}
