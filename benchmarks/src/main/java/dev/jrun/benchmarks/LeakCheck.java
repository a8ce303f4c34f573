package dev.jrun.benchmarks;

import dev.jrun.Container;
import dev.jrun.model.ContainerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts containers one after another from one JVM and prints, every so
 * often, what the JVM holds: descriptors, threads, mounts, child processes and
 * resident memory. Nothing may grow beyond noise.
 *
 * <pre>java -Djrun.bench.rootfs=DIR -cp ... dev.jrun.benchmarks.LeakCheck [COUNT]</pre>
 */
public final class LeakCheck {

    private LeakCheck() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Container container = BenchmarkContainers.trueInBusybox();
        System.out.println("containers,descriptors,threads,mounts,children,rss_kb");
        for (int i = 0; i <= count; i++) {
            if (i % (count / 10) == 0) {
                System.gc();
                System.out.println(String.join(",", List.of(Integer.toString(i), Long.toString(descriptors()),
                        Integer.toString(Thread.activeCount()), Long.toString(mounts()),
                        Long.toString(ProcessHandle.current().children().count()), Long.toString(rssKb()))));
            }
            if (i < count) {
                try (ContainerProcess process = container.start()) {
                    process.waitFor();
                }
            }
        }
    }

    private static long descriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long mounts() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).size();
    }

    private static long rssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElse(-1);
    }
}
