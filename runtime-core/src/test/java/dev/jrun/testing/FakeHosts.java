package dev.jrun.testing;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.internal.userns.HostIds;

import java.util.List;

/**
 * Host facts for plan tests, which then run as any user: this host's kernel and cgroup layout (which
 * any user may read), with the launcher's ids chosen by the test and a host whose launcher has no
 * subordinate IDs, where no user or group has an ID from 524288 on, and where the uidmap helpers are
 * not installed (so what a plan test asserts does not depend on this host's /etc/subuid or packages).
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

    /** {@return a host with no subordinate IDs, no ID taken from 524288 on and no uidmap helpers} */
    public static HostIds plainIds() {
        return new HostIds(List.of(), List.of(), List.of(), false, false);
    }

    private static HostFacts withIds(long euid, long egid) {
        HostFacts probed = HostFacts.probe();
        return new HostFacts(euid, egid, probed.lastCapability(), probed.cgroupMounts(), plainIds(),
                SecurityModules.NONE);
    }
}
