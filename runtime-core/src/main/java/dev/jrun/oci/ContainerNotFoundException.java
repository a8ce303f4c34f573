package dev.jrun.oci;

import java.nio.file.Path;

/** No container has this ID in the state root: it was never created, or it was deleted. */
public final class ContainerNotFoundException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String id;

    ContainerNotFoundException(String id, Path root) {
        super("container \"" + id + "\" does not exist (in " + root + ")");
        this.id = id;
    }

    /** {@return the ID asked for} */
    public String id() {
        return id;
    }
}
