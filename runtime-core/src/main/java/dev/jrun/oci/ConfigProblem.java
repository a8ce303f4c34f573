package dev.jrun.oci;

/**
 * One thing wrong with a configuration.
 *
 * @param where   a JSON path such as {@code linux.namespaces[2].type}, or {@code line 3, column 7}
 * @param message what is wrong, such as {@code unknown namespace "pdi"}
 */
public record ConfigProblem(String where, String message) {

    @Override
    public String toString() {
        return where.isEmpty() ? message : where + ": " + message;
    }
}
