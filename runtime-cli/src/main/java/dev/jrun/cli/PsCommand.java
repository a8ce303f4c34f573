package dev.jrun.cli;

import dev.jrun.oci.OciJson;
import dev.jrun.oci.OciRuntime.ProcessEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code jrun ps ID}: the processes of a container. */
@Command(name = "ps", description = "List the processes of a container (host PIDs).")
final class PsCommand extends ContainerCommand {

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (an array of PIDs, as runc prints) (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    @Override
    public Integer call() {
        List<ProcessEntry> processes = jrun.runtime().processes(id());
        if (format == OutputFormat.json) {
            System.out.println(OciJson.write(processes.stream().map(ProcessEntry::pid).toList()));
        } else {
            Table table = new Table("PID", "CMD");
            processes.forEach(p -> table.row(p.pid(), p.commandLine()));
            System.out.print(table);
        }
        return 0;
    }
}
