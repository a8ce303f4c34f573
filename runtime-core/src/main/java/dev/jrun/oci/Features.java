package dev.jrun.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.jrun.internal.launch.MountOptions;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What this runtime supports, as the OCI features document ({@code features.md}) describes it;
 * {@code jrun features} prints it. It lists what jrun does, not what it refuses: no user
 * namespace, cgroup, seccomp, AppArmor or SELinux support yet.
 *
 * @param ociVersionMin the oldest spec version jrun reads
 * @param ociVersionMax the newest spec version jrun reads
 * @param hooks         the hooks jrun runs
 * @param mountOptions  the mount options jrun understands
 * @param linux         Linux features
 * @param annotations   metadata about the runtime
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Features(String ociVersionMin, String ociVersionMax, List<String> hooks, List<String> mountOptions,
                       Linux linux, Map<String, String> annotations) {

    /**
     * Linux features.
     *
     * @param namespaces      namespaces jrun creates or joins
     * @param cgroup          cgroup managers
     * @param seccomp         seccomp support
     * @param apparmor        AppArmor support
     * @param selinux         SELinux support
     * @param intelRdt        Intel RDT support
     * @param mountExtensions idmapped mounts
     */
    public record Linux(List<String> namespaces, Cgroup cgroup, Enabled seccomp, Enabled apparmor, Enabled selinux,
                        Enabled intelRdt, MountExtensions mountExtensions) {
    }

    /**
     * cgroup managers.
     *
     * @param v1          cgroup v1
     * @param v2          cgroup v2
     * @param systemd     the systemd manager
     * @param systemdUser the user systemd manager
     * @param rdma        the RDMA controller
     */
    public record Cgroup(boolean v1, boolean v2, boolean systemd, boolean systemdUser, boolean rdma) {
    }

    /**
     * Whether a feature is supported.
     *
     * @param enabled supported
     */
    public record Enabled(boolean enabled) {
    }

    /**
     * Mount extensions.
     *
     * @param idmap idmapped mounts
     */
    public record MountExtensions(Enabled idmap) {
    }

    /** {@return the features of this build of jrun} */
    public static Features current() {
        Enabled no = new Enabled(false);
        return new Features("1.0.0", State.OCI_VERSION,
                Arrays.stream(HookRunner.Kind.values()).map(HookRunner.Kind::jsonName).toList(),
                List.copyOf(MountOptions.known()),
                new Linux(List.of("cgroup", "ipc", "mount", "network", "pid", "time", "uts"),
                        new Cgroup(false, false, false, false, false), no, no, no, no, new MountExtensions(no)),
                null);
    }

    /** {@return this document as JSON} */
    public String toJson() {
        return OciJson.write(this);
    }
}
