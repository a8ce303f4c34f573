package dev.jrun.cli;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Processes;
import dev.jrun.model.ExitStatus;

/**
 * Makes the test JVM a child subreaper, as engines' monitors (conmon) are: a container created by
 * a jrun process that has exited becomes the JVM's child, so its exit status can be collected.
 */
final class Subreaper {

    private Subreaper() {
    }

    /** Makes this JVM the reaper of its orphaned descendants. */
    static void become() {
        int result = Libc.prctl.makeInvoker(Libc.C_LONG).apply(Libc.PR_SET_CHILD_SUBREAPER(), 1L);
        if (result != 0) {
            throw new IllegalStateException("prctl(PR_SET_CHILD_SUBREAPER) failed");
        }
    }

    /** Waits for {@code pid}, a child by now, to end; {@return how it ended} */
    static ExitStatus waitFor(int pid) {
        return Processes.waitForPid(pid);
    }
}
