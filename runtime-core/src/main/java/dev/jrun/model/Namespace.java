package dev.jrun.model;

import dev.jrun.bindings.Libc;

/** A kind of Linux namespace a container can have of its own or join. */
public enum Namespace {
    /** Process IDs: the container's first process is PID 1 and sees only its own processes. */
    PID("pid", Libc.CLONE_NEWPID()),
    /** Mount table: the container's mounts are invisible to the host. */
    MOUNT("mnt", Libc.CLONE_NEWNS()),
    /** Host and domain name. */
    UTS("uts", Libc.CLONE_NEWUTS()),
    /** System V IPC and POSIX message queues. */
    IPC("ipc", Libc.CLONE_NEWIPC()),
    /** Network devices, addresses, routes and ports; only loopback exists in a new one. */
    NETWORK("net", Libc.CLONE_NEWNET()),
    /** The cgroup tree: the container's cgroup appears as the root. */
    CGROUP("cgroup", Libc.CLONE_NEWCGROUP()),
    /** User and group IDs and capabilities. */
    USER("user", Libc.CLONE_NEWUSER()),
    /** The boot-time and monotonic clocks. */
    TIME("time", Libc.CLONE_NEWTIME());

    private final String procName;
    private final int cloneFlag;

    Namespace(String procName, int cloneFlag) {
        this.procName = procName;
        this.cloneFlag = cloneFlag;
    }

    /** {@return the name under {@code /proc/<pid>/ns/}, which is also the OCI spelling except for mount and network} */
    public String procName() {
        return procName;
    }

    /** {@return the {@code CLONE_NEW*} flag that creates this kind of namespace} */
    public int cloneFlag() {
        return cloneFlag;
    }
}
