package dev.jrun.internal.launch;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;

/**
 * Tells containers that their first process ended, with one thread for the
 * whole JVM rather than one blocked in {@code waitid} per container: a pidfd
 * becomes readable when its process ends, so the thread polls the pidfds of
 * every watched container, plus a pipe that wakes it when the set changes,
 * and hands each ended container to the common pool to be reaped. It starts
 * with the first {@link LaunchedContainer#onExit()}.
 *
 * <p>The thread owns a duplicate of each pidfd and is the only one to close
 * it, so a handle closed meanwhile never leaves a reused descriptor number in
 * the poll set.
 */
final class ExitWatcher {

    private static final int WAKE_UP_BYTES = 64;

    private final Descriptors.Pipe wakeUp = Descriptors.pipe();
    private final Queue<Runnable> requests = new ConcurrentLinkedQueue<>();
    /** The watcher thread's own pidfd duplicates and their containers; touched by that thread only. */
    private final Map<Integer, LaunchedContainer> watched = new HashMap<>();

    private ExitWatcher() {
    }

    private static final class Holder {
        static final ExitWatcher INSTANCE = start();

        private static ExitWatcher start() {
            ExitWatcher watcher = new ExitWatcher();
            Thread thread = new Thread(watcher::run, "jrun-exit-watcher");
            thread.setDaemon(true);
            thread.start();
            return watcher;
        }
    }

    /** Starts watching the process behind {@code pidfd}, and calls {@code container.exited()} once it ends. */
    static void watch(LaunchedContainer container, int pidfd) {
        int own = Descriptors.fcntl(pidfd, Libc.F_DUPFD_CLOEXEC(), 0);
        Holder.INSTANCE.request(() -> Holder.INSTANCE.watched.put(own, container));
    }

    /** Stops watching a container (it was detached); nothing happens if it was not watched. */
    static void unwatch(LaunchedContainer container) {
        Holder.INSTANCE.request(() -> Holder.INSTANCE.watched.entrySet().removeIf(entry -> {
            boolean match = entry.getValue() == container;
            if (match) {
                Descriptors.close(entry.getKey());
            }
            return match;
        }));
    }

    private void request(Runnable change) {
        requests.add(change);
        try (Arena arena = Arena.ofConfined()) {
            Descriptors.writeFully(wakeUp.writeEnd(), arena.allocate(1));
        }
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment drain = arena.allocate(WAKE_UP_BYTES);
            while (true) {
                for (Runnable change = requests.poll(); change != null; change = requests.poll()) {
                    change.run();
                }
                List<Integer> pidfds = new ArrayList<>(watched.keySet());
                int[] fds = new int[pidfds.size() + 1];
                fds[0] = wakeUp.readEnd();
                for (int i = 0; i < pidfds.size(); i++) {
                    fds[i + 1] = pidfds.get(i);
                }
                int[] ready = Descriptors.awaitReadable(fds);
                if (ready[0] != 0) {
                    Descriptors.read(wakeUp.readEnd(), drain);
                }
                for (int i = 0; i < pidfds.size(); i++) {
                    if (ready[i + 1] != 0) {
                        LaunchedContainer ended = watched.remove(pidfds.get(i));
                        Descriptors.close(pidfds.get(i));
                        ForkJoinPool.commonPool().execute(ended::exited);
                    }
                }
            }
        }
    }
}
