package dev.jrun.oci;

/**
 * What a container made from an image holds on the host besides its first process and cgroup
 * ({@code image.json}), which delete releases: its overlay root, recorded before the container
 * is launched, and its private network's helper, recorded once it runs.
 *
 * @param root            the directory of its root ({@link dev.jrun.ContainerRoot#directory()})
 * @param helperPid       the PID of its network's helper (slirp4netns); 0 when it has none (yet)
 * @param helperStartTime when that helper started, in clock ticks since boot, which tells it from a later process
 */
record ImageResources(String root, int helperPid, long helperStartTime) {

    /** {@return the resources of a container whose helper does not run yet} */
    static ImageResources rootOnly(String root) {
        return new ImageResources(root, 0, 0);
    }

    /** {@return these resources with the network's helper} */
    ImageResources withHelper(int pid, long startTime) {
        return new ImageResources(root, pid, startTime);
    }
}
