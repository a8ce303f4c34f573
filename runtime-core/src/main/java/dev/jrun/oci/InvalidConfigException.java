package dev.jrun.oci;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code config.json} (or {@code process.json}) that jrun refuses: malformed JSON, a value the
 * OCI spec forbids, or a feature jrun does not support yet. The message names the file and, for
 * each problem, where it is: a line and column, or a JSON path such as
 * {@code linux.namespaces[2].type}.
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * @param file     the file the problems are in
     * @param problems what is wrong, at least one
     */
    public InvalidConfigException(Path file, List<ConfigProblem> problems) {
        super(file + ": " + String.join("; ", problems.stream().map(ConfigProblem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    /** {@return each problem found} */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
