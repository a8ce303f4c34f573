package dev.jrun.benchmarks;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** N containers started at once from one JVM, each on its own thread; the time for all N to start and exit. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ConcurrentStartBenchmark {

    @Param({"1", "8", "32"})
    public int containers;

    private Container container;
    private ExecutorService threads;

    @Setup(Level.Trial)
    public void setUp() {
        container = BenchmarkContainers.trueInBusybox();
        threads = Executors.newFixedThreadPool(containers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        threads.shutdownNow();
    }

    @Benchmark
    public int startAll() throws Exception {
        List<Future<Integer>> exits = new ArrayList<>(containers);
        for (int i = 0; i < containers; i++) {
            exits.add(threads.submit(() -> {
                try (ContainerProcess process = container.start()) {
                    return process.waitFor().shellCode();
                }
            }));
        }
        int failures = 0;
        for (Future<Integer> exit : exits) {
            failures += exit.get() == 0 ? 0 : 1;
        }
        if (failures > 0) {
            throw new IllegalStateException(failures + " of " + containers + " containers failed");
        }
        return containers;
    }
}
