package dev.jrun.oci;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Collects what is wrong with a configuration, so that one error reports every
 * problem, each at its JSON path.
 */
final class Problems {

    private final List<ConfigProblem> found = new ArrayList<>();

    /** Records a problem at {@code path}. */
    void add(String path, String message) {
        found.add(new ConfigProblem(path, message));
    }

    /** {@return how many problems were found so far} */
    int count() {
        return found.size();
    }

    /** Records a feature jrun does not support yet, by its path. */
    void unsupported(String path) {
        add(path, "not supported yet");
    }

    /**
     * Runs {@code step}, which configures the container; an {@link IllegalArgumentException} it
     * throws (the core's validation) becomes a problem at {@code path}.
     */
    void at(String path, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
        }
    }

    /**
     * {@return what {@code step} returns, or {@code fallback} when it throws an {@link
     * IllegalArgumentException} (the core's validation), which becomes a problem at {@code path}}
     */
    <T> T at(String path, Supplier<T> step, T fallback) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
            return fallback;
        }
    }

    /** @throws InvalidConfigException if any problem was found */
    void throwIfAny(Path file) {
        if (!found.isEmpty()) {
            throw new InvalidConfigException(file, found);
        }
    }
}
