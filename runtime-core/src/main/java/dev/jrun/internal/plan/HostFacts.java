package dev.jrun.internal.plan;

import dev.jrun.internal.cgroup.CgroupHost;
import dev.jrun.internal.cgroup.CgroupMounts;
import dev.jrun.internal.sys.Credentials;
import dev.jrun.internal.userns.HostIds;

import java.util.List;

/**
 * What building a container and compiling its plan need to know about the host they run on, probed
 * once per process by {@link #probe()}, the one place that reads them; tests build and compile for the
 * host they describe instead.
 *
 * <p>None of these changes while a JVM runs: its ids (Java has no {@code setuid}), the kernel's
 * capabilities, and the cgroup layout the init system mounted at boot (a JVM, multi-threaded, cannot
 * enter another mount namespace). The ID files (/etc/subuid, /etc/passwd...) and the uidmap helpers
 * do change when an administrator adds users or packages, rarely; a JVM keeps what it read first,
 * so all its containers get the same maps. Paths a plan names (the rootfs, bind sources, mount targets inside
 * the rootfs) are read when the plan is compiled: they belong to the container, not the host.
 *
 * @param euid           the launcher's effective uid: 0 is root
 * @param egid           the launcher's effective gid
 * @param lastCapability the number of the kernel's highest capability
 * @param cgroupMounts   the cgroup hierarchies mounted at {@value CgroupMounts#ROOT}, in mount order;
 *                       empty when none is
 * @param ids            the launcher's subordinate ID ranges, the IDs the host uses, and the uidmap helpers
 * @param securityModules the security modules (AppArmor, SELinux) the host has enabled
 */
public record HostFacts(long euid, long egid, int lastCapability, List<CgroupMounts.Hierarchy> cgroupMounts,
                        HostIds ids, SecurityModules securityModules) {

    public HostFacts {
        cgroupMounts = List.copyOf(cgroupMounts);
    }

    /** {@return the facts of the host this process runs on, probed on first use} */
    public static HostFacts probe() {
        return Probed.FACTS;
    }

    /** {@return these facts on a host with the security modules {@code modules} enabled} */
    public HostFacts withSecurityModules(SecurityModules modules) {
        return new HostFacts(euid, egid, lastCapability, cgroupMounts, ids, modules);
    }

    /** {@return whether the launcher runs as root} */
    public boolean root() {
        return euid == 0;
    }

    /**
     * {@return the cgroup hierarchies a container's cgroup mount repeats}
     *
     * @throws IllegalStateException if none is mounted at {@value CgroupMounts#ROOT}
     */
    List<CgroupMounts.Hierarchy> mountedCgroups() {
        if (cgroupMounts.isEmpty()) {
            throw new IllegalStateException("the host has no cgroup filesystem mounted at " + CgroupMounts.ROOT);
        }
        return cgroupMounts;
    }

    /** Probed on first use, once: a JVM never sees these facts change. */
    private static final class Probed {
        static final HostFacts FACTS = probeNow();

        private static HostFacts probeNow() {
            long euid = Credentials.effectiveUid();
            return new HostFacts(euid, Credentials.effectiveGid(), KernelCapabilities.last(),
                    CgroupHost.probe().mounted(), HostIds.probe(System.getProperty("user.name"), euid),
                    SecurityModules.probe());
        }
    }
}
