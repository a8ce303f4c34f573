package dev.jrun.internal.image;

import dev.jrun.image.Image;
import dev.jrun.image.ImageReference;
import dev.jrun.image.PullOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Pulls an image from a registry into the store, under the store's lock (a second pull of the
 * same image waits, then finds every blob stored): blobs fetched and verified, then the same
 * checks, unpacking and naming as an import.
 */
public final class ImagePull {

    private ImagePull() {
    }

    /**
     * @param root       the store's directory
     * @param reference  the image, named with its registry
     * @param options    insecure registries, credential files, progress
     * @param privileged whether this process is root (whiteouts as overlay devices, owners kept)
     * @param warnings   told of what a layer holds that is left out
     */
    public static Image run(Path root, ImageReference reference, PullOptions options, boolean privileged,
                            Consumer<String> warnings) throws IOException {
        try (RegistryClient registry = RegistryClient.of(reference, options)) {
            return ImageImport.store(root, privileged, warnings, layout ->
                    new RegistrySource(registry, layout.blobs(), options.progress(), reference).copy());
        }
    }
}
