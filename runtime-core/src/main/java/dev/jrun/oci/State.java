package dev.jrun.oci;

import java.util.Map;

/**
 * The OCI state of a container, as {@code jrun state} prints it and hooks read
 * it on their stdin (runtime-spec {@code state-schema.json}).
 *
 * @param ociVersion  the spec version the state follows
 * @param id          the container's ID
 * @param status      where it is in its lifecycle
 * @param pid         its first process, as seen by whoever reads the state; 0 once stopped
 * @param bundle      the absolute path of its bundle
 * @param annotations the annotations of its configuration
 */
public record State(String ociVersion, String id, Status status, int pid, String bundle,
                    Map<String, String> annotations) {

    /** The OCI runtime-spec version jrun implements. */
    public static final String OCI_VERSION = "1.3.0";

    public State {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** {@return this state with another status and PID, such as a hook in the container sees it} */
    public State with(Status newStatus, int newPid) {
        return new State(ociVersion, id, newStatus, newPid, bundle, annotations);
    }

    /** {@return this state as JSON} */
    public String toJson() {
        return OciJson.write(this);
    }
}
