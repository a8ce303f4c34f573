package dev.jrun.benchmarks;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;
import dev.jrun.model.ExitStatus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** One container from a warm JVM: start, wait for {@code /bin/true} to exit, clean up. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StartToExitBenchmark {

    private Container container;

    @Setup
    public void setUp() {
        container = BenchmarkContainers.trueInBusybox();
    }

    @Benchmark
    public ExitStatus startToExit() {
        try (ContainerProcess process = container.start()) {
            return process.waitFor();
        }
    }
}
