package dev.jrun.testing;

import dev.jrun.internal.plan.HostFacts;

import java.util.List;

/**
 * Host facts for plan tests, which then run as any user: this host's kernel and cgroup layout (which
 * any user may read), with the launcher's ids chosen by the test.
 */
public final class FakeHosts {

    /** The ids of the unprivileged launcher {@link #unprivileged()} describes. */
    public static final long USER_ID = 1000;

    private FakeHosts() {
    }

    /** {@return this host, with jrun running as root} */
    public static HostFacts root() {
        return withIds(0, 0);
    }

    /** {@return this host, with jrun running as uid and gid {@value #USER_ID}} */
    public static HostFacts unprivileged() {
        return withIds(USER_ID, USER_ID);
    }

    /** {@return root and an unprivileged launcher: for plans that must not differ between them} */
    public static List<HostFacts> rootAndUnprivileged() {
        return List.of(root(), unprivileged());
    }

    private static HostFacts withIds(long euid, long egid) {
        HostFacts probed = HostFacts.probe();
        return new HostFacts(euid, egid, probed.lastCapability(), probed.cgroupMounts());
    }
}
