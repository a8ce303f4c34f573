package dev.jrun.junit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Skips a test class unless it runs as root, which containers need here (namespaces, mounts, a
 * cgroup); a condition, so it is decided before any container of the class starts.
 */
final class RequiresRoot implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return isRoot() ? ConditionEvaluationResult.enabled("running as root")
                : ConditionEvaluationResult.disabled("starting containers needs root: namespaces, mounts and a cgroup");
    }

    private static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
