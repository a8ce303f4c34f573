package dev.jrun.model;

import dev.jrun.bindings.Libc;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A Linux capability: one slice of root's privileges. The numbers come from
 * the generated {@code <linux/capability.h>} bindings; the names are the
 * kernel's without the {@code CAP_} prefix, which {@link #ociName()} adds back.
 */
public enum Capability {
    /** Change file owners and groups. */
    CHOWN(Libc.CAP_CHOWN()),
    /** Bypass file read, write and execute permission checks. */
    DAC_OVERRIDE(Libc.CAP_DAC_OVERRIDE()),
    /** Bypass file read and directory search permission checks. */
    DAC_READ_SEARCH(Libc.CAP_DAC_READ_SEARCH()),
    /** Bypass checks that require owning a file. */
    FOWNER(Libc.CAP_FOWNER()),
    /** Keep set-user-ID and set-group-ID bits when a file is modified. */
    FSETID(Libc.CAP_FSETID()),
    /** Send signals to any process. */
    KILL(Libc.CAP_KILL()),
    /** Change group IDs. */
    SETGID(Libc.CAP_SETGID()),
    /** Change user IDs. */
    SETUID(Libc.CAP_SETUID()),
    /** Change capability sets and the bounding set. */
    SETPCAP(Libc.CAP_SETPCAP()),
    /** Set the immutable and append-only file attributes. */
    LINUX_IMMUTABLE(Libc.CAP_LINUX_IMMUTABLE()),
    /** Bind to ports below 1024. */
    NET_BIND_SERVICE(Libc.CAP_NET_BIND_SERVICE()),
    /** Broadcast and listen to multicast (unused by the kernel). */
    NET_BROADCAST(Libc.CAP_NET_BROADCAST()),
    /** Configure network interfaces, routes and firewalls. */
    NET_ADMIN(Libc.CAP_NET_ADMIN()),
    /** Use raw and packet sockets. */
    NET_RAW(Libc.CAP_NET_RAW()),
    /** Lock memory. */
    IPC_LOCK(Libc.CAP_IPC_LOCK()),
    /** Bypass System V IPC permission checks. */
    IPC_OWNER(Libc.CAP_IPC_OWNER()),
    /** Load and unload kernel modules. */
    SYS_MODULE(Libc.CAP_SYS_MODULE()),
    /** Raw I/O: ioperm, iopl, /dev/mem. */
    SYS_RAWIO(Libc.CAP_SYS_RAWIO()),
    /** Use chroot. */
    SYS_CHROOT(Libc.CAP_SYS_CHROOT()),
    /** Trace any process. */
    SYS_PTRACE(Libc.CAP_SYS_PTRACE()),
    /** Switch process accounting. */
    SYS_PACCT(Libc.CAP_SYS_PACCT()),
    /** Mount, set the hostname, create namespaces and much more. */
    SYS_ADMIN(Libc.CAP_SYS_ADMIN()),
    /** Reboot. */
    SYS_BOOT(Libc.CAP_SYS_BOOT()),
    /** Raise priorities and set scheduling policies. */
    SYS_NICE(Libc.CAP_SYS_NICE()),
    /** Override resource limits and quotas. */
    SYS_RESOURCE(Libc.CAP_SYS_RESOURCE()),
    /** Set the system clock. */
    SYS_TIME(Libc.CAP_SYS_TIME()),
    /** Configure terminals. */
    SYS_TTY_CONFIG(Libc.CAP_SYS_TTY_CONFIG()),
    /** Create device nodes. */
    MKNOD(Libc.CAP_MKNOD()),
    /** Take file leases. */
    LEASE(Libc.CAP_LEASE()),
    /** Write to the kernel audit log. */
    AUDIT_WRITE(Libc.CAP_AUDIT_WRITE()),
    /** Configure kernel auditing. */
    AUDIT_CONTROL(Libc.CAP_AUDIT_CONTROL()),
    /** Set file capabilities. */
    SETFCAP(Libc.CAP_SETFCAP()),
    /** Override the mandatory access control policy. */
    MAC_OVERRIDE(Libc.CAP_MAC_OVERRIDE()),
    /** Configure mandatory access control. */
    MAC_ADMIN(Libc.CAP_MAC_ADMIN()),
    /** Use privileged syslog operations. */
    SYSLOG(Libc.CAP_SYSLOG()),
    /** Set alarms that wake the system. */
    WAKE_ALARM(Libc.CAP_WAKE_ALARM()),
    /** Block system suspend. */
    BLOCK_SUSPEND(Libc.CAP_BLOCK_SUSPEND()),
    /** Read the kernel audit log. */
    AUDIT_READ(Libc.CAP_AUDIT_READ()),
    /** Use performance monitoring. */
    PERFMON(Libc.CAP_PERFMON()),
    /** Use privileged BPF operations. */
    BPF(Libc.CAP_BPF()),
    /** Checkpoint and restore processes. */
    CHECKPOINT_RESTORE(Libc.CAP_CHECKPOINT_RESTORE());

    private static final String PREFIX = "CAP_";

    private final int number;

    Capability(int number) {
        this.number = number;
    }

    /** {@return the kernel's number for this capability, its bit in the capability masks} */
    public int number() {
        return number;
    }

    /** {@return the name as the OCI spec and the kernel headers write it, e.g. {@code CAP_CHOWN}} */
    public String ociName() {
        return PREFIX + name();
    }

    /**
     * {@return the capability with this name}
     *
     * @param name {@code CAP_CHOWN}, {@code chown} or {@code CHOWN}: the prefix and case do not matter
     * @throws IllegalArgumentException naming the unknown capability
     */
    public static Capability parse(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String bare = upper.startsWith(PREFIX) ? upper.substring(PREFIX.length()) : upper;
        return Arrays.stream(values())
                .filter(c -> c.name().equals(bare))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown capability \"" + name + "\": known are "
                        + Arrays.stream(values()).map(Capability::ociName).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return ociName();
    }
}
