package dev.jrun.benchmarks;

import dev.jrun.Container;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Stdio;

import java.nio.file.Files;
import java.nio.file.Path;

/** The container every benchmark starts: {@code /bin/true} on the busybox rootfs benchmarks/run.sh builds. */
final class BenchmarkContainers {

    /** The system property naming the rootfs (run.sh sets it). */
    static final String ROOTFS_PROPERTY = "jrun.bench.rootfs";

    private BenchmarkContainers() {
    }

    static Container trueInBusybox() {
        String rootfs = System.getProperty(ROOTFS_PROPERTY);
        if (rootfs == null || !Files.isExecutable(Path.of(rootfs, "bin/true"))) {
            throw new IllegalStateException("set -D" + ROOTFS_PROPERTY + "=DIR to a busybox rootfs with /bin/true"
                    + " (benchmarks/run.sh builds one)");
        }
        return Container.builder()
                .command("/bin/true")
                .hostname("bench")
                .filesystem(FilesystemSetup.rootfs(Path.of(rootfs)).withReadOnlyRoot(true))
                .stdin(Stdio.DISCARD)
                .build();
    }
}
