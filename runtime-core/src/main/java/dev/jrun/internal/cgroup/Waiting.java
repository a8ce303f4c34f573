package dev.jrun.internal.cgroup;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls for a cgroup state the kernel reaches asynchronously (frozen, empty), with a deadline. */
final class Waiting {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_PAUSE_MILLIS = 20;

    private Waiting() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws IllegalStateException saying what did not happen, after ten seconds
     */
    static void until(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + TIMEOUT.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting until " + what, e);
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }
}
