package dev.jrun.cli;

import dev.jrun.oci.OciJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jrun update [OPTIONS] ID}: changes the cgroup limits of a live container, from runc's
 * flags or from a {@code linux.resources} JSON object ({@code -r FILE}, {@code -} for stdin).
 */
@Command(name = "update", description = {
        "Change the cgroup limits of a running, created or paused container, as runc update does.",
        "Limits not named keep their values; -r takes a linux.resources object as in config.json."},
        sortOptions = false)
final class UpdateCommand extends ContainerCommand {

    private static final Path STDIN = Path.of("-");

    @Option(names = {"-r", "--resources"}, paramLabel = "FILE",
            description = "Read the limits from FILE, a linux.resources JSON object ('-': stdin); no other flag then.")
    private Path resourcesFile;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory limit (e.g. 64m; -1: none).")
    private Long memory;

    @Option(names = "--memory-reservation", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Soft memory limit.")
    private Long memoryReservation;

    @Option(names = "--memory-swap", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory plus swap limit (-1: none).")
    private Long memorySwap;

    @Option(names = "--cpu-share", paramLabel = "N", description = "Relative CPU weight (cpu.shares).")
    private Long cpuShares;

    @Option(names = "--cpu-period", paramLabel = "MICROS", description = "CFS period, in microseconds.")
    private Long cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "MICROS", description = "CFS quota per period, in microseconds.")
    private Long cpuQuota;

    @Option(names = "--cpu-rt-period", paramLabel = "MICROS",
            description = "Real-time period, in microseconds (cgroup v1).")
    private Long cpuRealtimePeriod;

    @Option(names = "--cpu-rt-runtime", paramLabel = "MICROS",
            description = "Real-time CPU time per real-time period, in microseconds (cgroup v1; -1: no limit).")
    private Long cpuRealtimeRuntime;

    @Option(names = "--cpuset-cpus", paramLabel = "LIST", description = "CPUs the container may use (e.g. 0-2,4).")
    private String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "LIST", description = "Memory nodes the container may use.")
    private String cpusetMems;

    @Option(names = "--pids-limit", paramLabel = "N", description = "Most tasks at once (-1: no limit).")
    private Long pidsLimit;

    @Option(names = "--blkio-weight", paramLabel = "N", description = "Relative block I/O weight, 10 to 1000.")
    private Integer blkioWeight;

    @Override
    public Integer call() {
        Map<String, Object> flags = fromFlags();
        if (resourcesFile != null) {
            if (!flags.isEmpty()) {
                throw new IllegalArgumentException("-r " + resourcesFile + " names every limit: give no other flag with it");
            }
            jrun.runtime().update(id(), read(resourcesFile), resourcesFile);
        } else {
            jrun.runtime().update(id(), OciJson.writeLine(flags).getBytes(StandardCharsets.UTF_8), Path.of("update options"));
        }
        return 0;
    }

    /** The flags given, as the linux.resources fields they set. */
    private Map<String, Object> fromFlags() {
        Map<String, Object> resources = new LinkedHashMap<>();
        Map<String, Object> memoryNode = new LinkedHashMap<>();
        Map<String, Object> cpu = new LinkedHashMap<>();
        putIfGiven(memoryNode, "limit", memory);
        putIfGiven(memoryNode, "reservation", memoryReservation);
        putIfGiven(memoryNode, "swap", memorySwap);
        putIfGiven(cpu, "shares", cpuShares);
        putIfGiven(cpu, "period", cpuPeriod);
        putIfGiven(cpu, "quota", cpuQuota);
        putIfGiven(cpu, "realtimePeriod", cpuRealtimePeriod);
        putIfGiven(cpu, "realtimeRuntime", cpuRealtimeRuntime);
        if (cpusetCpus != null) {
            cpu.put("cpus", cpusetCpus);
        }
        if (cpusetMems != null) {
            cpu.put("mems", cpusetMems);
        }
        if (!memoryNode.isEmpty()) {
            resources.put("memory", memoryNode);
        }
        if (!cpu.isEmpty()) {
            resources.put("cpu", cpu);
        }
        if (pidsLimit != null) {
            resources.put("pids", Map.of("limit", pidsLimit));
        }
        if (blkioWeight != null) {
            resources.put("blockIO", Map.of("weight", blkioWeight));
        }
        return resources;
    }

    private static void putIfGiven(Map<String, Object> node, String name, Long value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static byte[] read(Path file) {
        try {
            return file.equals(STDIN) ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }
}
