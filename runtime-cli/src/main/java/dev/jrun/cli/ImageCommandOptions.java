package dev.jrun.cli;

import dev.jrun.image.RootStorage;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

/**
 * {@code run}'s {@code --entrypoint} and {@code -i}, docker's flags for an image's command and
 * stdin, and {@code --storage-driver}, podman's for how its root is made.
 */
final class ImageCommandOptions {

    @Option(names = "--entrypoint", paramLabel = "CMD",
            description = "With an image: run CMD in place of its Entrypoint, followed by the ARGs after IMAGE (its Cmd"
                    + " is dropped, as docker does); --entrypoint '' clears the Entrypoint, the ARGs are then the"
                    + " whole command.")
    private String entrypoint;

    @Option(names = {"-i", "--interactive"},
            description = "Keep stdin open: accepted for docker's command lines; jrun always passes its stdin on.")
    private boolean interactive;

    @Option(names = "--storage-driver", paramLabel = "DRIVER", converter = StorageDriverConverter.class,
            description = "With an image: how its container's root is made, as podman names it: overlay (an overlayfs"
                    + " mount of its layers) or vfs (a private copy of them: slower, more space, any kernel and"
                    + " filesystem). Default: overlay, or a copy where overlayfs cannot be mounted.")
    private RootStorage storageDriver;

    /** {@return how the container's root is to be made; nothing for the default} */
    Optional<RootStorage> storage() {
        return Optional.ofNullable(storageDriver);
    }

    /** {@return the Entrypoint given, empty when cleared; nothing when the image's stays} */
    Optional<List<String>> entrypoint() {
        return Optional.ofNullable(entrypoint).map(command -> command.isEmpty() ? List.of() : List.of(command));
    }

    /** Refuses {@code --entrypoint} and {@code --storage-driver} where there is no image ({@code form} says what there is instead). */
    void requireImage(String form) {
        if (entrypoint != null || storageDriver != null) {
            throw new IllegalArgumentException((entrypoint != null ? "--entrypoint" : "--storage-driver")
                    + " applies to an image only, not to " + form);
        }
    }
}
