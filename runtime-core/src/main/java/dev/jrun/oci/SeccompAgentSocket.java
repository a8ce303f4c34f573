package dev.jrun.oci;

import dev.jrun.internal.sys.UnixSockets;
import dev.jrun.model.SeccompAgent;
import dev.jrun.model.SystemCallException;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The seccomp agent at {@code linux.seccomp.listenerPath}, as runc talks to it: one connection per
 * process that loads the filter, one message with the listener ({@code SCM_RIGHTS}) and the
 * runtime-spec's {@code ContainerProcessState} as JSON.
 *
 * @param socket   the agent's Unix socket
 * @param metadata {@code linux.seccomp.listenerMetadata}, passed on as it is
 */
record SeccompAgentSocket(Path socket, String metadata) {

    /** The name of the listener in the message's {@code fds}, runtime-spec's {@code SeccompFdName}. */
    private static final String SECCOMP_FD_NAME = "seccompFd";

    /**
     * runtime-spec's {@code ContainerProcessState}.
     *
     * @param ociVersion the spec version the message follows
     * @param fds        the names of the descriptors sent with it, in order
     * @param pid        the process that loaded the filter
     * @param metadata   the profile's listener metadata
     * @param state      the container's state
     */
    record ProcessState(String ociVersion, List<String> fds, int pid, String metadata, State state) {
    }

    /** {@return the agent of a configuration whose seccomp profile notifies one; empty for any other} */
    static Optional<SeccompAgentSocket> of(Spec spec) {
        Spec.Seccomp seccomp = spec.linux() == null ? null : spec.linux().seccomp();
        if (seccomp == null || !SeccompMapping.notifiesAgent(seccomp)) {
            return Optional.empty();
        }
        // The mapper refused a profile that notifies without a listenerPath.
        return Optional.of(new SeccompAgentSocket(Path.of(seccomp.listenerPath()), seccomp.listenerMetadata()));
    }

    /**
     * {@return the agent for the launcher: it sends the listener with the state {@code stateOf} gives for the
     * process that loaded the filter}
     */
    SeccompAgent sendingState(IntFunction<State> stateOf) {
        return (pid, listener) -> {
            String message = OciJson.write(new ProcessState(State.OCI_VERSION, List.of(SECCOMP_FD_NAME), pid, metadata,
                    stateOf.apply(pid)));
            try {
                UnixSockets.sendDescriptor(socket, listener, message);
            } catch (SystemCallException e) {
                throw new IllegalStateException("failed to connect with seccomp agent specified in "
                        + "linux.seccomp.listenerPath: " + e.getMessage(), e);
            }
        };
    }
}
