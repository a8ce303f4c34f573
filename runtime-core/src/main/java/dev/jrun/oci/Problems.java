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
    private final List<Ignored> ignored = new ArrayList<>();

    /**
     * A field jrun leaves out, as runc does.
     *
     * @param warning whether runc warns about it too (a deprecated field) rather than leaving it out silently
     */
    record Ignored(String path, String why, boolean warning) {

        /** {@return the line that reports it} */
        String message() {
            return path + ": ignored: " + why;
        }
    }

    /** Records a problem at {@code path}. */
    void add(String path, String message) {
        found.add(new ConfigProblem(path, message));
    }

    /** Records that the field at {@code path} is left out, and why. */
    void ignore(String path, String why, boolean warning) {
        ignored.add(new Ignored(path, why, warning));
    }

    /** {@return the fields left out so far} */
    List<Ignored> ignored() {
        return List.copyOf(ignored);
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
