package dev.jrun.cli;

import dev.jrun.ImageStore;

import java.nio.file.Path;

/**
 * Where the image commands keep images: {@code $JRUN_STORAGE} when set, else the library's
 * default ({@code /var/lib/jrun} for root, {@code $XDG_DATA_HOME/jrun} for other users). An
 * environment variable rather than a flag, so that {@code --root} keeps runc's meaning (the
 * state of containers).
 */
final class ImageStorage {

    static final String VARIABLE = "JRUN_STORAGE";

    private ImageStorage() {
    }

    /** {@return the store, its warnings (an extended attribute a layer could not keep) going to {@code log}} */
    static ImageStore store(CliLog log) {
        return store().withWarnings(log::notice);
    }

    static ImageStore store() {
        String directory = System.getenv(VARIABLE);
        return directory == null || directory.isEmpty() ? ImageStore.atDefaultDirectory()
                : ImageStore.at(Path.of(directory));
    }
}
