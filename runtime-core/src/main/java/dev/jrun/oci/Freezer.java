package dev.jrun.oci;

/**
 * Freezes and thaws every process of a container: what {@code pause} and
 * {@code resume} need, and what tells a paused container from a running one.
 * The cgroup freezer implements it; {@link #UNSUPPORTED} stands in until jrun
 * manages cgroups.
 */
public interface Freezer {

    /** A runtime without cgroup support: nothing is ever frozen, and pausing is refused. */
    Freezer UNSUPPORTED = new Freezer() {
        @Override
        public void freeze(ContainerRecord container) {
            throw new UnsupportedOperationException("cannot pause container \"" + container.id()
                    + "\": pausing needs the cgroup freezer, and jrun does not manage cgroups yet");
        }

        @Override
        public void thaw(ContainerRecord container) {
            throw new UnsupportedOperationException("cannot resume container \"" + container.id()
                    + "\": resuming needs the cgroup freezer, and jrun does not manage cgroups yet");
        }

        @Override
        public boolean isFrozen(ContainerRecord container) {
            return false;
        }
    };

    /** Stops every process of the container until {@link #thaw}. */
    void freeze(ContainerRecord container);

    /** Lets the container's processes run again. */
    void thaw(ContainerRecord container);

    /** {@return whether the container's processes are frozen} */
    boolean isFrozen(ContainerRecord container);
}
