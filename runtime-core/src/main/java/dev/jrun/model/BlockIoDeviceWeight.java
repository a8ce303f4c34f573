package dev.jrun.model;

import java.util.OptionalInt;

/**
 * The block I/O weights of one device (an entry of OCI {@code blockIO.weightDevice}): the
 * container's weight on that device, and its leaf weight (its own processes' share against its
 * child cgroups'), each 10 to 1000; a weight left empty is not written.
 *
 * @param major      the device's major number
 * @param minor      the device's minor number
 * @param weight     the weight on the device
 * @param leafWeight the leaf weight on the device
 */
public record BlockIoDeviceWeight(long major, long minor, OptionalInt weight, OptionalInt leafWeight) {

    public BlockIoDeviceWeight {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("invalid device " + major + ":" + minor + ": numbers are not negative");
        }
        weight.ifPresent(w -> Resources.requireBlockIoWeight("block I/O weight of device " + major + ":" + minor, w));
        leafWeight.ifPresent(w -> Resources.requireBlockIoWeight("block I/O leaf weight of device " + major + ":" + minor, w));
    }

    /** {@return the device as the blkio files name it: {@code MAJOR:MINOR}} */
    public String device() {
        return major + ":" + minor;
    }
}
