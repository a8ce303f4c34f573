package dev.jrun.oci;

/**
 * An operation the container's status does not allow: starting a container that runs, deleting one
 * that runs without {@code force}, killing or exec'ing in one that stopped.
 */
public final class ContainerStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String id;
    private final Status status;

    ContainerStateException(String id, Status status, String message) {
        super(message);
        this.id = id;
        this.status = status;
    }

    /** {@return the refusal of {@code operation} ("start", "exec in"), {@code reason} saying why ("it is stopped")} */
    static ContainerStateException cannot(String operation, String id, Status status, String reason) {
        return new ContainerStateException(id, status, "cannot " + operation + " container \"" + id + "\": " + reason);
    }

    /** {@return the container's ID} */
    public String id() {
        return id;
    }

    /** {@return its status when the operation was refused} */
    public Status status() {
        return status;
    }
}
