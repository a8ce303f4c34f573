package dev.jrun;

import dev.jrun.model.Cgroup;
import dev.jrun.model.ContainerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs its arguments as a container, with this JVM's stdio, prints the host's
 * view of the container's user ({@code host Uid: ...}) and its cgroup, and
 * exits with the container's code. {@link RootlessTest} starts it as an unprivileged user.
 */
public final class RootlessProbe {

    private RootlessProbe() {
    }

    public static void main(String[] args) throws IOException {
        try (ContainerProcess process = Container.builder().command(List.of(args)).build().start()) {
            String uid = Files.readAllLines(Path.of("/proc", Integer.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("Uid:")).findFirst().orElseThrow();
            int code = process.waitFor().shellCode();
            System.out.println("host " + uid);
            System.out.println("cgroup " + process.cgroup().map(cgroup -> cgroup.directories().toString())
                    .orElseGet(() -> "none: " + Cgroups.unavailableReason().orElse("?")));
            System.exit(code);
        }
    }
}
