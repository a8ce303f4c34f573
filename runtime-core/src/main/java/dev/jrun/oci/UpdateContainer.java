package dev.jrun.oci;

import dev.jrun.model.Cgroup;
import dev.jrun.model.Resources;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
        Map<String, Object> changes = OciJson.readObject(resources, source);
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
            Map<String, Object> merged = OciJson.readObject(OciJson.write(config).getBytes(StandardCharsets.UTF_8),
                    source);
            Map<String, Object> current = object(object(merged, "linux"), "resources");
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
    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Map<String, Object> changes) {
        changes.forEach((name, value) -> {
            if (value instanceof Map<?, ?> fields && target.get(name) instanceof Map<?, ?> nested) {
                mergeInto((Map<String, Object>) nested, (Map<String, Object>) fields);
            } else {
                target.put(name, value);
            }
        });
    }

    /** As runc: lifting the memory limit without naming memory+swap lifts that too, or it would stay below. */
    private static void unlimitSwapWithMemory(Map<String, Object> resources, Map<String, Object> changes) {
        if (changes.get("memory") instanceof Map<?, ?> memory && memory.get("limit") instanceof Number limit
                && limit.longValue() == UNLIMITED && !memory.containsKey("swap")) {
            object(resources, "memory").put("swap", UNLIMITED);
        }
    }

    /** {@return the object at {@code name} in {@code parent}, made empty there when it is not an object} */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String name) {
        if (parent.get(name) instanceof Map<?, ?> existing) {
            return (Map<String, Object>) existing;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(name, created);
        return created;
    }
}
