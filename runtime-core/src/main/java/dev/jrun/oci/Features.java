package dev.jrun.oci;

import dev.jrun.internal.flags.MountOptions;
import dev.jrun.internal.seccomp.SeccompCompiler;
import dev.jrun.model.Capability;
import dev.jrun.model.SeccompProfile;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What this runtime supports, as the OCI features document ({@code features.md}) describes it;
 * {@code jrun features} prints it. It lists what jrun does, not what it refuses: no systemd
 * cgroup manager, AppArmor, SELinux, Intel RDT or idmapped mounts.
 *
 * @param ociVersionMin the oldest spec version jrun reads
 * @param ociVersionMax the newest spec version jrun reads
 * @param hooks         the hooks jrun runs
 * @param mountOptions  the mount options jrun understands
 * @param linux         Linux features
 * @param annotations   metadata about the runtime
 */
public record Features(String ociVersionMin, String ociVersionMax, List<String> hooks, List<String> mountOptions,
                       Linux linux, Map<String, String> annotations) {

    /**
     * Linux features.
     *
     * @param namespaces      namespaces jrun creates or joins
     * @param capabilities    the capabilities jrun knows, by {@code CAP_*} name
     * @param cgroup          cgroup managers
     * @param seccomp         seccomp support
     * @param apparmor        AppArmor support
     * @param selinux         SELinux support
     * @param intelRdt        Intel RDT support
     * @param mountExtensions idmapped mounts
     */
    public record Linux(List<String> namespaces, List<String> capabilities, Cgroup cgroup, Seccomp seccomp,
                        Enabled apparmor, Enabled selinux, Enabled intelRdt, MountExtensions mountExtensions) {
    }

    /**
     * seccomp support.
     *
     * @param enabled        whether seccomp filters are supported
     * @param actions        the actions a profile may use ({@code SCMP_ACT_*})
     * @param operators      the argument comparisons ({@code SCMP_CMP_*})
     * @param archs          the architecture names a profile may list ({@code SCMP_ARCH_*})
     * @param knownFlags     the filter flags jrun knows ({@code SECCOMP_FILTER_FLAG_*})
     * @param supportedFlags the filter flags a profile may have
     */
    public record Seccomp(boolean enabled, List<String> actions, List<String> operators, List<String> archs,
                          List<String> knownFlags, List<String> supportedFlags) {
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
        // As runc reports them: jrun applies profiles and labels where the host has the module.
        Enabled labels = new Enabled(true);
        return new Features("1.0.0", State.OCI_VERSION,
                Arrays.stream(HookRunner.Kind.values()).map(HookRunner.Kind::jsonName).toList(),
                List.copyOf(MountOptions.known()),
                new Linux(List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"),
                        Arrays.stream(Capability.values()).map(Capability::ociName).toList(),
                        new Cgroup(true, true, false, false, false), seccomp(), labels, labels, no, new MountExtensions(no)),
                null);
    }

    /** Every action, the old {@code SCMP_ACT_KILL} too; every flag jrun knows, it supports. */
    private static Seccomp seccomp() {
        List<String> actions = Stream.concat(Stream.of("SCMP_ACT_KILL"), Arrays.stream(SeccompProfile.Action.values())
                .map(SeccompProfile.Action::ociName)).toList();
        return new Seccomp(true, actions,
                Arrays.stream(SeccompProfile.Operator.values()).map(SeccompProfile.Operator::ociName).toList(),
                SeccompCompiler.knownArchitectures(), SeccompCompiler.supportedFlags(), SeccompCompiler.supportedFlags());
    }

    /** {@return this document as JSON} */
    public String toJson() {
        return OciJson.write(this);
    }
}
