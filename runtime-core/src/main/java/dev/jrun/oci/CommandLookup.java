package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.internal.sys.ContainerRootFiles;
import dev.jrun.internal.sys.ContainerRootFiles.Executability;
import dev.jrun.model.SystemCallException;

/**
 * Finds the container's command in its root at create time, as runc does before its process waits
 * for start, so that a missing command fails {@code create}, where engines look for it, and not
 * {@code start}. It is looked up as the launch will execute it: a name without a slash in each
 * absolute directory of the container's {@code PATH}, a relative path from its working directory,
 * through the process's own root, with its mounts in place.
 */
final class CommandLookup {

    private CommandLookup() {
    }

    /**
     * Checks that the command of {@code container}, whose first process {@code pid} is set up and
     * waits for start, can be executed.
     *
     * @throws CommandNotExecutableException if it is missing or may not be executed
     */
    static void require(Container container, int pid) {
        String name = container.command().getFirst();
        try (ContainerRootFiles root = ContainerRootFiles.ofProcess(pid)) {
            if (name.contains("/")) {
                String path = name.startsWith("/") ? name : within(container.filesystem().workingDirectory(), name);
                switch (root.executability(path)) {
                    case MISSING -> throw CommandNotExecutableException.missing(name, path);
                    case NOT_EXECUTABLE -> throw CommandNotExecutableException.permissionDenied(name);
                    case EXECUTABLE -> { }
                }
                return;
            }
            boolean deniedSomewhere = false;
            for (String directory : ContainerSpec.searchPath(container.environment())) {
                Executability found = directory.startsWith("/") ? inSearchPath(root, within(directory, name))
                        : Executability.MISSING;
                if (found == Executability.EXECUTABLE) {
                    return;
                }
                deniedSomewhere |= found == Executability.NOT_EXECUTABLE;
            }
            throw deniedSomewhere ? CommandNotExecutableException.permissionDenied(name)
                    : CommandNotExecutableException.notInSearchPath(name);
        }
    }

    /** A directory of PATH that cannot be searched (a symlink loop...) is passed over, as execvp does. */
    private static Executability inSearchPath(ContainerRootFiles root, String path) {
        try {
            return root.executability(path);
        } catch (SystemCallException e) {
            return Executability.MISSING;
        }
    }

    private static String within(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }
}
