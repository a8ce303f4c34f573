package dev.jrun.cli;

import dev.jrun.oci.OciJson;
import dev.jrun.oci.OciRuntime.ContainerSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code jrun list}: the containers in the state root. */
@Command(name = "list", description = "List the containers in the state root.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (their OCI states) (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    @Option(names = {"-q", "--quiet"}, description = "Print the IDs only.")
    private boolean quiet;

    @Override
    public Integer call() {
        List<ContainerSummary> containers = jrun.runtime().list();
        if (quiet) {
            containers.forEach(c -> System.out.println(c.state().id()));
        } else if (format == OutputFormat.json) {
            System.out.println(OciJson.write(containers.stream().map(ContainerSummary::state).toList()));
        } else {
            Table table = new Table("ID", "PID", "STATUS", "BUNDLE", "CREATED");
            containers.forEach(c -> table.row(c.state().id(), c.state().pid(), c.state().status().ociName(),
                    c.state().bundle(), c.created()));
            System.out.print(table);
        }
        return 0;
    }
}
