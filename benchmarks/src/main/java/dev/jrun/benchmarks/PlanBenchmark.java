package dev.jrun.benchmarks;

import dev.jrun.Container;
import dev.jrun.internal.stub.StubImage;
import dev.jrun.launch.LaunchPlan;
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

/** The Java side of a launch on its own: compiling the plan, and emitting the stub from it. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PlanBenchmark {

    private Container container;
    private LaunchPlan plan;

    @Setup
    public void setUp() {
        container = BenchmarkContainers.trueInBusybox();
        plan = container.plan();
    }

    @Benchmark
    public LaunchPlan compilePlan() {
        return container.plan();
    }

    @Benchmark
    public byte[] emitStub() {
        return StubImage.of(plan).bytes();
    }
}
