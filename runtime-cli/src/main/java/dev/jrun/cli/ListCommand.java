package dev.jrun.cli;

import dev.jrun.oci.OciJson;
import dev.jrun.oci.OciRuntime.ContainerSummary;
import dev.jrun.oci.State;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code jrun list}: the containers in the state root. */
@Command(name = "list", description = "List the containers in the state root.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    private JrunCommand jrun;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table or json (runc's: one line) (default: ${DEFAULT-VALUE}).")
    private OutputFormat format;

    @Option(names = {"-q", "--quiet"}, description = "Print the IDs only.")
    private boolean quiet;

    /** {@return a container as runc's {@code list -f json} prints it: its fields, in its order} */
    private static Map<String, Object> runcEntry(ContainerSummary container) {
        State state = container.state();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("ociVersion", state.ociVersion());
        entry.put("id", state.id());
        entry.put("pid", state.pid());
        entry.put("status", state.status().ociName());
        entry.put("bundle", state.bundle());
        entry.put("rootfs", container.rootfs());
        entry.put("created", container.created());
        if (!state.annotations().isEmpty()) {
            entry.put("annotations", state.annotations());
        }
        entry.put("owner", container.owner());
        return entry;
    }

    @Override
    public Integer call() {
        List<ContainerSummary> containers = jrun.runtime().list();
        if (quiet) {
            containers.forEach(c -> System.out.println(c.state().id()));
        } else if (format == OutputFormat.json) {
            System.out.println(OciJson.writeLine(containers.stream().map(ListCommand::runcEntry).toList()));
        } else {
            Table table = new Table("ID", "PID", "STATUS", "BUNDLE", "CREATED");
            containers.forEach(c -> table.row(c.state().id(), c.state().pid(), c.state().status().ociName(),
                    c.state().bundle(), c.created()));
            System.out.print(table);
        }
        return 0;
    }
}
