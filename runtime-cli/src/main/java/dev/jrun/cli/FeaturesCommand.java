package dev.jrun.cli;

import dev.jrun.oci.Features;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code jrun features}: the OCI features document. */
@Command(name = "features", description = "Print what this runtime supports, as the OCI features JSON.")
final class FeaturesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(Features.current().toJson());
        return 0;
    }
}
