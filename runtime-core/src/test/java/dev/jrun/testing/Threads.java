package dev.jrun.testing;

import java.util.concurrent.Executor;

/** Platform daemon threads for blocking reads and waits, which must not pin a virtual thread's carrier. */
final class Threads {

    private Threads() {
    }

    /** {@return an executor that runs each task on a new daemon platform thread} */
    static Executor platform() {
        return task -> Thread.ofPlatform().daemon().name("jrun-test-io").start(task);
    }
}
