package dev.jrun.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.model.Cgroup;
import dev.jrun.model.Resources;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The update operation ({@code runc update}): the fields of a {@code linux.resources} object
 * replace the container's, the whole result is checked as {@code create} checks it, written to the
 * live cgroup, and kept as the container's configuration, so the next update starts from it.
 */
final class UpdateContainer {

    private static final long UNLIMITED = -1;

    private final StateStore store;
    private final Freezer freezer;

    UpdateContainer(StateStore store, Freezer freezer) {
        this.store = store;
        this.freezer = freezer;
    }

    void update(String id, byte[] resources, Path source) {
        ObjectNode changes = OciJson.read(resources, ObjectNode.class, source);
        try (ContainerDirectory directory = store.open(id)) {
            ContainerRecord record = directory.record();
            Status status = ContainerStatus.of(directory, record, freezer);
            if (status == Status.STOPPED) {
                throw ContainerStateException.cannot("update", id, status, "it is stopped");
            }
            Spec config = directory.config().orElseThrow(() -> new IllegalStateException("container \"" + id
                    + "\" has lost its configuration"));
            Cgroup cgroup = record.openCgroup().orElseThrow(() -> new IllegalStateException("container \"" + id
                    + "\" has no cgroup to update"));
            ObjectNode merged = OciJson.read(OciJson.write(config).getBytes(StandardCharsets.UTF_8), ObjectNode.class,
                    source);
            ObjectNode current = merged.withObjectProperty("linux").withObjectProperty("resources");
            mergeInto(current, changes);
            unlimitSwapWithMemory(current, changes);
            byte[] updated = OciJson.write(merged).getBytes(StandardCharsets.UTF_8);
            Spec spec = OciJson.read(updated, Spec.class, source);
            Problems problems = new Problems();
            Resources limits = ResourcesMapping.map(spec.linux(), problems);
            problems.throwIfAny(source);
            cgroup.update(limits);
            directory.saveConfig(updated);
        }
    }

    /** Objects merge field by field; anything else replaces what was there. */
    private static void mergeInto(ObjectNode target, ObjectNode changes) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = changes.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isObject() && target.get(field.getKey()) instanceof ObjectNode nested) {
                mergeInto(nested, (ObjectNode) field.getValue());
            } else {
                target.set(field.getKey(), field.getValue());
            }
        }
    }

    /** As runc: lifting the memory limit without naming memory+swap lifts that too, or it would stay below. */
    private static void unlimitSwapWithMemory(ObjectNode resources, ObjectNode changes) {
        JsonNode memory = changes.path("memory");
        if (memory.path("limit").asLong(0) == UNLIMITED && !memory.has("swap")) {
            resources.withObjectProperty("memory").put("swap", UNLIMITED);
        }
    }
}
