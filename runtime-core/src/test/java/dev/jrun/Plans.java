package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.testing.FakeHosts;

/**
 * Builds containers and compiles their plans for a fake host ({@link FakeHosts}), so that plan tests
 * need no root and say whether they plan for jrun running as root. Public for the tests of other packages.
 */
public final class Plans {

    private Plans() {
    }

    /** {@return the plan of the container, built and compiled as jrun running as root would} */
    public static LaunchPlan asRoot(Container.Builder builder) {
        return of(builder, FakeHosts.root());
    }

    /** {@return the plan of the container, built and compiled for {@code host}} */
    public static LaunchPlan of(Container.Builder builder, HostFacts host) {
        return build(builder, host).plan();
    }

    /** {@return the container, its defaults resolved and its plan compiled for {@code host}} */
    public static Container build(Container.Builder builder, HostFacts host) {
        return builder.build(host);
    }
}
