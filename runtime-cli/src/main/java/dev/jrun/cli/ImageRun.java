package dev.jrun.cli;

import dev.jrun.Container;
import dev.jrun.ContainerRoot;
import dev.jrun.Foreground;
import dev.jrun.image.Image;
import dev.jrun.image.InvalidImageException;
import dev.jrun.model.FilesystemSetup;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code jrun run IMAGE [ARG...]}: a container of an image of the store, on an overlay root that
 * is removed when it ends. Apart from {@link RunCommand} so that the bundle and sandbox forms load
 * none of the image classes.
 */
final class ImageRun {

    private final Image image;

    private ImageRun(Image image) {
        this.image = image;
    }

    /** {@return the image {@code name} names in the store, if it is a reference and one does} */
    static Optional<ImageRun> named(String name) {
        try {
            return ImageStorage.store().find(name).map(ImageRun::new);
        } catch (InvalidImageException notAReference) {
            return Optional.empty();
        }
    }

    String description() {
        return image.reference() + " (" + image.id() + ")";
    }

    /**
     * Runs the image in the foreground; {@return its shell exit code}
     *
     * @param arguments the arguments after IMAGE (a leading {@code --} is dropped)
     * @param configure adds the command line's options to the image's builder and filesystem
     */
    int run(List<String> arguments, BiFunction<Container.Builder, FilesystemSetup, Container> configure) {
        List<String> command = !arguments.isEmpty() && arguments.getFirst().equals("--")
                ? arguments.subList(1, arguments.size()) : arguments;
        try (ContainerRoot root = ImageStorage.store().mountRoot(image)) {
            return Foreground.run(configure.apply(root.builder(command), root.filesystem())).shellCode();
        }
    }
}
