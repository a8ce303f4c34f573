package dev.jrun.internal.launch;

import dev.jrun.internal.network.HostPorts;
import dev.jrun.internal.network.Slirp4netns;
import dev.jrun.internal.plan.ContainerSpec;
import dev.jrun.model.Network;
import dev.jrun.model.PortMapping;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A private network's helper, started at the gate against the container's first process (whose
 * network namespace then exists and is still empty), with the published ports forwarded before
 * the container goes on; stopped when the container ends or its launch fails.
 */
final class NetworkTask implements GateTask {

    private final Path executable;
    private final List<PortMapping> published;
    private final Slirp4netns.Lifetime lifetime;
    private volatile Slirp4netns helper;

    private NetworkTask(Path executable, List<PortMapping> published, Slirp4netns.Lifetime lifetime) {
        this.executable = executable;
        this.published = published;
        this.lifetime = lifetime;
    }

    /**
     * {@return the task for a container with a private network, before anything is created}
     *
     * @throws IllegalStateException    if slirp4netns is not installed
     * @throws IllegalArgumentException if a published host port is in use, or on an IPv6 address
     *                                  this process cannot relay
     */
    static Optional<NetworkTask> prepare(ContainerSpec container) {
        if (container.network() != Network.PRIVATE) {
            return Optional.empty();
        }
        Path executable = Slirp4netns.locate();
        // A container that may outlive this JVM keeps its network: its helper must outlive the JVM too.
        Slirp4netns.Lifetime lifetime = container.diesWithParent()
                ? Slirp4netns.Lifetime.ENDS_WITH_JVM : Slirp4netns.Lifetime.OUTLIVES_JVM;
        Slirp4netns.requireForwardable(container.published(), lifetime);
        return Optional.of(new NetworkTask(executable, HostPorts.claim(container.published()), lifetime));
    }

    /** {@return the published ports, each with the host port it got} */
    List<PortMapping> published() {
        return published;
    }

    /** {@return the helper's PID, once it runs} */
    OptionalInt helperPid() {
        Slirp4netns started = helper;
        return started == null ? OptionalInt.empty() : OptionalInt.of(started.pid());
    }

    @Override
    public void run(int pid) {
        helper = Slirp4netns.start(executable, pid, published, lifetime);
    }

    @Override
    public void containerDetached() {
        Slirp4netns started = helper;
        if (started != null) {
            started.detach();
        }
    }

    @Override
    public void undo() {
        stop();
    }

    @Override
    public void containerEnded() {
        stop();
    }

    private void stop() {
        Slirp4netns started = helper;
        if (started != null) {
            started.close();
        }
    }
}
