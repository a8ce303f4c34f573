package dev.jrun.oci;

import dev.jrun.model.Cgroup;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What jrun keeps about a container in its state directory ({@code state.json}):
 * enough to find its first process again and to rebuild its OCI state. The
 * status is never stored: it is read from the process and the exec FIFO each
 * time, so it cannot go stale.
 *
 * @param id          the container's ID
 * @param bundle      the absolute path of its bundle
 * @param pid         its first process, as the host sees it
 * @param startTime   when that process started (clock ticks since boot), which tells a recycled PID apart
 * @param created     when the container was created, ISO-8601
 * @param annotations the annotations of its configuration
 * @param cgroup      the directories of its cgroup, one per hierarchy; empty when it has none
 * @param ownPidNamespace whether its first process is the init of a PID namespace of its own
 */
public record ContainerRecord(String id, String bundle, int pid, long startTime, String created,
                              Map<String, String> annotations, List<String> cgroup, boolean ownPidNamespace) {

    public ContainerRecord {
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        cgroup = cgroup == null ? List.of() : List.copyOf(cgroup);
    }

    /** {@return the container's cgroup, when it has one} */
    public Optional<Cgroup> openCgroup() {
        return resources().openCgroup();
    }

    /** {@return what the container holds on the host: its first process and its cgroup} */
    HeldResources resources() {
        return new HeldResources(pid, startTime, cgroup, ownPidNamespace);
    }

    /** {@return the OCI state for {@code status}: the PID as the host sees it, 0 once stopped} */
    public State state(Status status) {
        return new State(State.OCI_VERSION, id, status, status == Status.STOPPED ? 0 : pid, bundle, annotations);
    }
}
