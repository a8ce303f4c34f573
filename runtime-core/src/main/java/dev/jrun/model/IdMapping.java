package dev.jrun.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of a user namespace's {@code uid_map} or {@code gid_map} (OCI
 * {@code linux.uidMappings} and {@code linux.gidMappings}): the container's IDs
 * {@code containerId .. containerId+size-1} are the host's IDs
 * {@code hostId .. hostId+size-1}.
 *
 * @param containerId the first ID inside the container
 * @param hostId      the first ID on the host
 * @param size        how many IDs, at least 1
 */
public record IdMapping(long containerId, long hostId, long size) {

    private static final long ID_SPACE = 1L << 32;

    public IdMapping {
        if (size < 1) {
            throw new IllegalArgumentException("id mapping " + containerId + ":" + hostId + ":" + size
                    + " maps no ids: its size must be at least 1");
        }
        if (containerId < 0 || hostId < 0 || containerId + size > ID_SPACE - 1 || hostId + size > ID_SPACE - 1) {
            throw new IllegalArgumentException("id mapping " + containerId + ":" + hostId + ":" + size
                    + " leaves the 32-bit id range");
        }
    }

    /** {@return whether this mapping gives the container ID {@code id} a host ID} */
    public boolean mapsContainerId(long id) {
        return id >= containerId && id < containerId + size;
    }

    /** {@return whether any of {@code mappings} gives the container ID {@code id} a host ID} */
    public static boolean anyMaps(List<IdMapping> mappings, long id) {
        return mappings.stream().anyMatch(m -> m.mapsContainerId(id));
    }

    /** {@return the mappings as a {@code uid_map} file wants them, one "container host size" line each} */
    public static String mapFile(List<IdMapping> mappings) {
        return mappings.stream().map(m -> m.containerId + " " + m.hostId + " " + m.size + "\n")
                .collect(Collectors.joining());
    }

    @Override
    public String toString() {
        return containerId + ":" + hostId + ":" + size;
    }
}
