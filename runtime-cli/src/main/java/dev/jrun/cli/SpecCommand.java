package dev.jrun.cli;

import dev.jrun.oci.DefaultSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code jrun spec}: writes a default config.json, as {@code runc spec} does. */
@Command(name = "spec", description = "Write a default config.json (a shell on a terminal, rootfs read-only) to the bundle.")
final class SpecCommand implements Callable<Integer> {

    @Option(names = {"-b", "--bundle"}, paramLabel = "DIR", defaultValue = ".",
            description = "Where to write config.json (default: the current directory).")
    private Path bundle;

    @Option(names = "--rootless", description = "A configuration for rootless containers (refused: not supported yet).")
    private boolean rootless;

    @Override
    public Integer call() {
        if (rootless) {
            throw new UnsupportedOperationException("--rootless: rootless containers are not supported yet");
        }
        DefaultSpec.write(bundle);
        return 0;
    }
}
