package dev.jrun.cli;

import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

/** {@code run}'s {@code --entrypoint} and {@code -i}, docker's flags for an image's command and stdin. */
final class ImageCommandOptions {

    @Option(names = "--entrypoint", paramLabel = "CMD",
            description = "With an image: run CMD in place of its Entrypoint, followed by the ARGs after IMAGE (its Cmd"
                    + " is dropped, as docker does); --entrypoint '' clears the Entrypoint, the ARGs are then the"
                    + " whole command.")
    private String entrypoint;

    @Option(names = {"-i", "--interactive"},
            description = "Keep stdin open: accepted for docker's command lines; jrun always passes its stdin on.")
    private boolean interactive;

    /** {@return the Entrypoint given, empty when cleared; nothing when the image's stays} */
    Optional<List<String>> entrypoint() {
        return Optional.ofNullable(entrypoint).map(command -> command.isEmpty() ? List.of() : List.of(command));
    }

    /** Refuses {@code --entrypoint} where there is no image ({@code form} says what there is instead). */
    void requireImage(String form) {
        if (entrypoint != null) {
            throw new IllegalArgumentException("--entrypoint applies to an image only, not to " + form);
        }
    }
}
