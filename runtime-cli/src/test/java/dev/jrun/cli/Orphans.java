package dev.jrun.cli;

import dev.jrun.internal.sys.ProcStat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The processes a killed jrun left (its container, its hooks), which became children of the test
 * JVM, a {@linkplain Subreaper subreaper}, as they become conmon's under podman. Like conmon, this
 * reaps them as they end, in the background: a container's init cannot finish dying while a
 * process of its PID namespace waits to be reaped.
 */
final class Orphans {

    private static final Duration POLL = Duration.ofMillis(20);

    private final Map<Long, CompletableFuture<Void>> reaped;

    private Orphans(Map<Long, CompletableFuture<Void>> reaped) {
        this.reaped = reaped;
    }

    /** {@return the PIDs of this JVM's children now} */
    static Set<Long> children() {
        return childrenOf(ProcessHandle.current().pid());
    }

    /** {@return the PIDs of the children of {@code pid}, from every thread of it} */
    static Set<Long> childrenOf(long pid) {
        Set<Long> children = new HashSet<>();
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path thread : threads.toList()) {
                for (String child : read(thread.resolve("children")).strip().split(" ")) {
                    if (!child.isEmpty()) {
                        children.add(Long.parseLong(child));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return children;
    }

    /**
     * Starts reaping this JVM's children that are not in {@code known} (those it had before, and
     * those it started itself and reaps through their {@link Process}); {@return them}
     */
    static Orphans reapAllBut(Set<Long> known) {
        return new Orphans(children().stream().filter(pid -> !known.contains(pid)).collect(Collectors.toMap(
                pid -> pid, pid -> CompletableFuture.runAsync(() -> Subreaper.waitFor(Math.toIntExact(pid)),
                        runnable -> Thread.ofPlatform().daemon().name("reaper-" + pid).start(runnable)))));
    }

    /** {@return the PIDs of the orphans} */
    Set<Long> pids() {
        return reaped.keySet();
    }

    /**
     * Asserts that every orphan ends within {@code limit}. One still running then is killed (it is
     * the test's own descendant) and reaped, and the assertion fails naming it.
     */
    void assertAllEndWithin(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<String> running = reaped.entrySet().stream().filter(orphan -> !ends(orphan.getValue(), deadline))
                .map(orphan -> orphan.getKey() + " (" + commandLine(orphan.getKey()) + ")").toList();
        reaped.forEach((pid, reaping) -> {
            if (!reaping.isDone()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                reaping.join();
            }
        });
        assertThat(running).as("processes still running " + limit.toSeconds() + " s after the kill").isEmpty();
    }

    private static boolean ends(CompletableFuture<Void> reaping, long deadline) {
        try {
            reaping.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@return whether the process has not ended yet (a zombie has)} */
    static boolean running(long pid) {
        return ProcStat.of(pid).map(stat -> !stat.ended()).orElse(false);
    }

    static String commandLine(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ').strip();
    }

    /** Pauses between two looks at something the kernel does asynchronously. */
    static void pause() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
