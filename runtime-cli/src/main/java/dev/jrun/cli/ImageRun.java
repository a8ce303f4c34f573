package dev.jrun.cli;

import dev.jrun.Container;
import dev.jrun.ContainerRoot;
import dev.jrun.Foreground;
import dev.jrun.ImageStore;
import dev.jrun.image.Image;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;
import dev.jrun.image.PullOptions;
import dev.jrun.image.RootStorage;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.oci.OciRuntime;
import dev.jrun.oci.OciRuntime.AfterExit;
import dev.jrun.oci.State;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code jrun run IMAGE [ARG...]}: a container of an image of the store, on an overlay root (or a
 * copy of its layers) that is removed when it ends; with {@code -d}, {@code --name} or
 * {@code --keep}, an OCI container of the state root ({@link OciRuntime#runDetached}), whose root
 * goes when it is deleted. Apart from {@link RunCommand} so that the bundle and sandbox forms load
 * none of the image classes.
 */
final class ImageRun {

    /** A host name or IPv4 address, with a port or not: never "." or "..", which start relative paths. */
    private static final Pattern REGISTRY_HOST =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?");

    private final Image image;
    private final Optional<RootStorage> storage;

    private ImageRun(Image image, Optional<RootStorage> storage) {
        this.image = image;
        this.storage = storage;
    }

    /**
     * {@return the image {@code name} names in the store, if it is a reference and one does, whose
     * containers get roots made the way {@code storage} says (by default an overlay); an image
     * named with its registry ({@code localhost:5000/app:1}) is pulled when the store lacks it, as
     * docker does; what its layers leave out is told to {@code log}}
     */
    static Optional<ImageRun> named(String name, Optional<RootStorage> storage, CliLog log) {
        ImageStore store = ImageStorage.store(log);
        Optional<Image> stored;
        try {
            stored = store.find(name);
        } catch (InvalidImageException notAReference) {
            return Optional.empty();
        }
        if (stored.isEmpty() && namesRegistry(name)) {
            stored = Optional.of(store.pull(name, PullOptions.defaults().withProgress(PullDisplay.onStderr())));
        }
        return stored.map(image -> new ImageRun(image, storage));
    }

    /**
     * Whether {@code name} starts with a registry's host name: only then is a name the store lacks
     * pulled, so that {@code run echo} stays the host's echo.
     */
    private static boolean namesRegistry(String name) {
        int slash = name.indexOf('/');
        return slash > 0 && REGISTRY_HOST.matcher(name.substring(0, slash)).matches()
                && ImageReference.parse(name).registry().equals(name.substring(0, slash));
    }

    String description() {
        return image.reference() + " (" + image.id() + ")";
    }

    /**
     * Runs the image in the foreground; {@return its shell exit code}
     *
     * @param entrypoint the Entrypoint in place of the image's (and its Cmd), if one was given
     * @param arguments  the arguments after IMAGE (a leading {@code --} is dropped)
     * @param configure  adds the command line's options to the image's builder and filesystem
     */
    int run(Optional<List<String>> entrypoint, List<String> arguments,
            BiFunction<Container.Builder, FilesystemSetup, Container.Builder> configure) {
        try (ContainerRoot root = mountRoot()) {
            return Foreground.run(configure.apply(builder(root, entrypoint, arguments), root.filesystem()).build())
                    .shellCode();
        }
    }

    /**
     * Runs the image in the foreground as container {@code id} of {@code runtime}, which other
     * commands reach while it runs, and deletes it when it ends or, with {@link AfterExit#KEEP},
     * keeps it stopped until {@code jrun delete}; {@return its shell exit code}
     *
     * @param follow follows the container's first process until it ends ({@link Foreground#follow})
     */
    int runNamed(OciRuntime runtime, String id, AfterExit afterExit, Optional<List<String>> entrypoint,
                 List<String> arguments, BiFunction<Container.Builder, FilesystemSetup, Container.Builder> configure,
                 Function<ContainerProcess, ExitStatus> follow) {
        ContainerRoot root = mountRoot();
        return runtime.run(id, root, configured(root, entrypoint, arguments, configure), afterExit, follow)
                .shellCode();
    }

    /** Runs the image detached as container {@code id} of {@code runtime}; {@return its state} */
    State runDetached(OciRuntime runtime, String id, Optional<List<String>> entrypoint, List<String> arguments,
                      BiFunction<Container.Builder, FilesystemSetup, Container.Builder> configure) {
        ContainerRoot root = mountRoot();
        return runtime.runDetached(id, root, configured(root, entrypoint, arguments, configure));
    }

    private ContainerRoot mountRoot() {
        ImageStore store = ImageStorage.store();
        return storage.map(way -> store.mountRoot(image, way)).orElseGet(() -> store.mountRoot(image));
    }

    /** {@return the builder for a container of the image on {@code root}; the root is removed if an option is refused} */
    private static Container.Builder configured(ContainerRoot root, Optional<List<String>> entrypoint,
                                                List<String> arguments,
                                                BiFunction<Container.Builder, FilesystemSetup, Container.Builder> configure) {
        try {
            return configure.apply(builder(root, entrypoint, arguments), root.filesystem());
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /**
     * {@return the image's builder on {@code root}, with the Entrypoint given in place of the image's, and the
     * arguments after IMAGE, without a leading {@code --}}
     */
    private static Container.Builder builder(ContainerRoot root, Optional<List<String>> entrypoint,
                                             List<String> arguments) {
        List<String> command = !arguments.isEmpty() && arguments.getFirst().equals("--")
                ? arguments.subList(1, arguments.size()) : arguments;
        return entrypoint.map(replaced -> root.builder(replaced, command)).orElseGet(() -> root.builder(command));
    }
}
