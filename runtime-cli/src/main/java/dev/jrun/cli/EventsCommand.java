package dev.jrun.cli;

import dev.jrun.model.ResourceStats;
import dev.jrun.oci.ContainerNotFoundException;
import dev.jrun.oci.ContainerStateException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code jrun events [--stats] [--interval D] ID}: the container's resource statistics as runc's JSON
 * events, once or every interval, with an {@code oom} event each time the OOM killer ends one of its
 * processes; the stream ends with the container.
 */
@Command(name = "events", description = {
        "Print the container's resource statistics as runc's JSON events: once with --stats, else every"
                + " --interval, with an oom event whenever the OOM killer ends one of its processes,"
                + " until the container is stopped or deleted."},
        sortOptions = false)
final class EventsCommand extends ContainerCommand {

    /** How often the stream looks for OOM kills and for the container's end. */
    private static final Duration POLL = Duration.ofMillis(100);

    @Option(names = "--stats", description = "Print the statistics once and exit.")
    private boolean once;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Time between statistics (e.g. 100ms, 1s; default: ${DEFAULT-VALUE}).")
    private Duration interval;

    @Override
    public Integer call() throws InterruptedException {
        ResourceStats first = jrun.runtime().stats(id());
        print(RuncEvents.stats(id(), first));
        if (once) {
            return 0;
        }
        long oomKills = oomKills(first);
        Instant nextStats = Instant.now().plus(interval);
        while (true) {
            Thread.sleep(POLL);
            ResourceStats stats;
            try {
                stats = jrun.runtime().stats(id());
            } catch (ContainerNotFoundException | ContainerStateException e) {
                return 0;
            }
            if (oomKills(stats) > oomKills) {
                oomKills = oomKills(stats);
                print(RuncEvents.oom(id()));
            }
            if (!Instant.now().isBefore(nextStats)) {
                print(RuncEvents.stats(id(), stats));
                nextStats = nextStats.plus(interval);
            }
        }
    }

    /** Each event at once: a reader (runc's tests, an engine) waits for it, often on a file. */
    private static void print(String event) {
        System.out.println(event);
        System.out.flush();
    }

    private static long oomKills(ResourceStats stats) {
        return stats.memory().map(ResourceStats.Memory::oomKills).orElse(0L);
    }
}
