package dev.jrun.junit;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The threads that start containers. A container that dies with its parent gets SIGKILL when the
 * thread that started it ends (the kernel's parent-death signal follows the thread), and JUnit's
 * worker threads may end while a class's containers still run; these daemon threads live as long
 * as the JVM, so the containers die with the JVM, and only with it.
 */
final class LaunchThreads {

    private static final ExecutorService THREADS = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().daemon().name("jrun-sandbox-launcher-", 0).factory());

    private LaunchThreads() {
    }

    /**
     * {@return the started container}, started on a launch thread. An interrupt does not abandon a
     * container half started: it is kept for the caller (the interrupt status is set again).
     */
    static ContainerProcess start(Container container) {
        Future<ContainerProcess> started = THREADS.submit(container::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException("starting " + container + " failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
