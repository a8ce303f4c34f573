package dev.jrun.oci;

import dev.jrun.Cgroups;
import dev.jrun.model.Cgroup;

/**
 * Freezes and thaws every process of a container: what {@code pause} and
 * {@code resume} need, and what tells a paused container from a running one.
 * {@link #CGROUP} does it with the freezer of the container's cgroup.
 */
public interface Freezer {

    /** The cgroup freezer of the cgroup the container's record keeps; a container without one cannot be paused. */
    Freezer CGROUP = new Freezer() {
        @Override
        public void freeze(ContainerRecord container) {
            cgroup(container, "pause").freeze();
        }

        @Override
        public void thaw(ContainerRecord container) {
            cgroup(container, "resume").thaw();
        }

        @Override
        public boolean isFrozen(ContainerRecord container) {
            return container.openCgroup().map(Cgroup::isFrozen).orElse(false);
        }

        private static Cgroup cgroup(ContainerRecord container, String operation) {
            return container.openCgroup().orElseThrow(() -> new UnsupportedOperationException("cannot " + operation
                    + " container \"" + container.id() + "\": it has no cgroup (" + Cgroups.unavailableReason()
                    .orElse("its creator could not give it one") + "), and the freezer needs one"));
        }
    };

    /** Stops every process of the container until {@link #thaw}. */
    void freeze(ContainerRecord container);

    /** Lets the container's processes run again. */
    void thaw(ContainerRecord container);

    /** {@return whether the container's processes are frozen} */
    boolean isFrozen(ContainerRecord container);
}
