package dev.jrun.internal.cgroup;

/**
 * One limit as a cgroup file write: {@code value} into {@code file} of the
 * container's directory in the hierarchy that has {@code controller}.
 *
 * @param controller the controller the file belongs to
 * @param file       the file name, e.g. {@code memory.max}
 * @param value      what is written
 */
record CgroupWrite(String controller, String file, String value) {

    @Override
    public String toString() {
        return file + "=" + value;
    }
}
