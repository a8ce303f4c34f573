package dev.jrun.oci;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.Container;
import dev.jrun.oci.Spec.Linux;
import dev.jrun.oci.Spec.Resources;

import java.util.List;
import java.util.Map;

/**
 * The sections of {@code config.json} that belong to the container's security
 * and resource limits: the process's user and groups, capabilities, rlimits,
 * {@code noNewPrivileges}, {@code oomScoreAdj}, and {@code linux.resources},
 * {@code cgroupsPath}, {@code seccomp}, the user namespace and its ID
 * mappings.
 *
 * <p>jrun's core cannot apply these yet, so for now this refuses, by name,
 * every value that would ask for something to be done, and accepts only what
 * means "nothing to do": an absent section, or running as root (uid 0, gid 0),
 * which jrun does anyway. This is the one place to wire to the core's security
 * and cgroup API once it exists.
 */
final class SecurityMapping {

    private SecurityMapping() {
    }

    /** Maps the security sections of a container's configuration onto {@code builder}. */
    static void apply(Spec spec, Container.Builder builder, Problems problems) {
        if (spec.process() != null) {
            applyProcess(spec.process(), "process", builder, problems);
        }
        if (spec.linux() != null) {
            applyLinux(spec.linux(), problems);
        }
    }

    /**
     * Maps the security settings of one process (the container's, or one {@code exec} runs) onto
     * {@code builder}.
     *
     * @param path where the process is in its file: {@code process}, or empty for a process.json
     */
    static void applyProcess(Spec.Process process, String path, Container.Builder builder, Problems problems) {
        Spec.User user = process.user();
        if (user != null) {
            requireRoot(user.uid(), join(path, "user.uid"), problems);
            requireRoot(user.gid(), join(path, "user.gid"), problems);
            if (user.additionalGids() != null && !user.additionalGids().isEmpty()) {
                problems.add(join(path, "user.additionalGids"), "supplementary groups are not supported yet");
            }
        }
        if (process.capabilities() != null) {
            problems.add(join(path, "capabilities"), "not supported yet: the process keeps root's capabilities");
        }
        if (process.rlimits() != null && !process.rlimits().isEmpty()) {
            problems.add(join(path, "rlimits"), "not supported yet");
        }
        if (Boolean.TRUE.equals(process.noNewPrivileges())) {
            problems.add(join(path, "noNewPrivileges"), "not supported yet");
        }
        if (process.oomScoreAdj() != null) {
            problems.add(join(path, "oomScoreAdj"), "not supported yet");
        }
    }

    private static void applyLinux(Linux linux, Problems problems) {
        if (linux.resources() != null) {
            refuseResources(linux.resources(), problems);
        }
        if (linux.cgroupsPath() != null && !linux.cgroupsPath().isEmpty()) {
            problems.add("linux.cgroupsPath", "not supported yet: jrun does not manage cgroups yet");
        }
        if (linux.seccomp() != null && !linux.seccomp().isNull()) {
            problems.add("linux.seccomp", "not supported yet");
        }
        if (linux.uidMappings() != null && !linux.uidMappings().isEmpty()) {
            problems.add("linux.uidMappings", "not supported yet: user namespaces are not supported yet");
        }
        if (linux.gidMappings() != null && !linux.gidMappings().isEmpty()) {
            problems.add("linux.gidMappings", "not supported yet: user namespaces are not supported yet");
        }
        List<Spec.LinuxNamespace> namespaces = linux.namespaces() == null ? List.of() : linux.namespaces();
        for (int i = 0; i < namespaces.size(); i++) {
            if ("user".equals(namespaces.get(i).type())) {
                problems.add("linux.namespaces[" + i + "]", "user namespaces are not supported yet");
            }
        }
    }

    private static void refuseResources(Resources resources, Problems problems) {
        refuseIfSet(resources.devices(), "linux.resources.devices", problems);
        refuseIfSet(resources.memory(), "linux.resources.memory", problems);
        refuseIfSet(resources.cpu(), "linux.resources.cpu", problems);
        refuseIfSet(resources.pids(), "linux.resources.pids", problems);
        refuseIfSet(resources.blockIO(), "linux.resources.blockIO", problems);
        refuseIfSet(resources.hugepageLimits(), "linux.resources.hugepageLimits", problems);
        refuseIfSet(resources.network(), "linux.resources.network", problems);
        refuseIfSet(resources.rdma(), "linux.resources.rdma", problems);
        refuseIfSet(resources.unified(), "linux.resources.unified", problems);
    }

    private static void refuseIfSet(Object section, String path, Problems problems) {
        boolean empty = section == null
                || section instanceof List<?> list && list.isEmpty()
                || section instanceof Map<?, ?> map && map.isEmpty()
                || section instanceof JsonNode node && (node.isNull() || node.isEmpty());
        if (!empty) {
            problems.add(path, "not supported yet: jrun does not manage cgroups yet");
        }
    }

    private static void requireRoot(Long id, String path, Problems problems) {
        if (id != null && id != 0) {
            problems.add(path, id + " is not supported yet: the process runs as root (0)");
        }
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
