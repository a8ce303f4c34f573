package dev.jrun.cli;

import dev.jrun.oci.OciJson;
import dev.jrun.oci.OciRuntime.ProcessEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code jrun ps ID [PS_ARGS...]}: the processes of a container, as runc shows them: the host's
 * {@code ps} (with {@code -ef}, or the arguments after the ID) and of its lines the header and
 * the container's processes.
 */
@Command(name = "ps", description = "List the processes of a container: the host's ps (ps -ef, or PS_ARGS), its"
        + " lines of the container's processes.")
final class PsCommand extends ContainerCommand {

    private static final List<String> DEFAULT_PS_ARGUMENTS = List.of("-ef");

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (an array of host PIDs, as runc prints) (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    @Parameters(index = "1..*", paramLabel = "PS_ARGS", description = "The host ps's arguments (default: -ef).")
    private List<String> psArguments = new ArrayList<>();

    @Override
    public Integer call() {
        Set<Integer> pids = jrun.runtime().processes(id()).stream().map(ProcessEntry::pid)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (format == OutputFormat.json) {
            System.out.println(OciJson.writeLine(List.copyOf(pids)));
            return 0;
        }
        List<String> lines = hostPs(psArguments.isEmpty() ? DEFAULT_PS_ARGUMENTS : psArguments).lines().toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("ps printed nothing");
        }
        String header = lines.getFirst();
        int pidColumn = List.of(header.strip().split("\\s+")).indexOf("PID");
        if (pidColumn < 0) {
            throw new IllegalArgumentException("ps printed no PID column: " + header);
        }
        System.out.println(header);
        lines.stream().skip(1).filter(line -> isIn(line, pidColumn, pids)).forEach(System.out::println);
        return 0;
    }

    /** Lines whose PID column is not a number (a continued command line) belong to no process. */
    private static boolean isIn(String line, int pidColumn, Set<Integer> pids) {
        String[] fields = line.strip().split("\\s+");
        return fields.length > pidColumn && fields[pidColumn].matches("\\d+")
                && pids.contains(Integer.valueOf(fields[pidColumn]));
    }

    private static String hostPs(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("ps"));
        command.addAll(arguments);
        try {
            Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
            ps.getOutputStream().close();
            String output = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (ps.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + ps.exitValue()
                        + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ps ran", e);
        }
    }
}
