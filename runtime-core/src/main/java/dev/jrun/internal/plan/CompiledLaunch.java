package dev.jrun.internal.plan;

import dev.jrun.internal.protocol.LaunchProtocol;
import dev.jrun.internal.userns.IdMaps;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.model.Namespace;
import dev.jrun.model.SeccompAgent;

import java.util.Optional;

/**
 * Everything a launch needs, worked out once by {@link PlanCompiler}: the plan the stub runs, the
 * descriptors the stub and the launcher agree on, and the container's values the launcher's own work
 * reads (its stdio, its cgroup, its start gate and set-up actions).
 *
 * @param spec         the container
 * @param plan         the steps the stub executes
 * @param protocol     the descriptors at spawn
 * @param seccompAgent the agent the launcher gives the seccomp filter's listener to, when the container
 *                     hands one over (its profile notifies an agent); empty otherwise
 */
public record CompiledLaunch(ContainerSpec spec, LaunchPlan plan, LaunchProtocol protocol,
                             Optional<SeccompAgent> seccompAgent) {

    /** {@return the uid and gid maps the launcher writes at the gate; empty without a new user namespace} */
    public Optional<IdMaps> idMaps() {
        return spec.namespaces().creates(Namespace.USER)
                ? Optional.of(new IdMaps(spec.uidMappings(), spec.gidMappings()))
                : Optional.empty();
    }
}
