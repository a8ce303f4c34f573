package dev.jrun;

import dev.jrun.internal.plan.HostFacts;
import dev.jrun.internal.plan.PlanCompiler;
import dev.jrun.launch.LaunchPlan;
import dev.jrun.testing.FakeHosts;

/** Builds containers and compiles their plans for a fake host, so that plan tests need no root. */
final class Plans {

    private Plans() {
    }

    /** {@return the plan of the container, built and compiled as jrun running as root would} */
    static LaunchPlan asRoot(Container.Builder builder) {
        return of(builder, FakeHosts.root());
    }

    /** {@return the plan of the container, built and compiled for {@code host}} */
    static LaunchPlan of(Container.Builder builder, HostFacts host) {
        return PlanCompiler.compile(builder.build(host), host);
    }
}
