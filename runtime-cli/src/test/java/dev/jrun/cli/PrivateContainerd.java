package dev.jrun.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A containerd daemon of the test's own (Debian's containerd 1.6, installed by .ci/run): its root,
 * state, socket and config file in a directory of the test's, so a system containerd, if one runs,
 * is not disturbed. The config leaves out Kubernetes' CRI plugin, the snapshotters this host has no
 * filesystem for (they only log why they skip) and the opt plugin, which would install into
 * /opt/containerd. Only the shims' socket directory, /run/containerd/s, is fixed in containerd 1.6;
 * it is removed again when the daemon made it. The daemon is stopped by its PID.
 */
final class PrivateContainerd implements AutoCloseable {

    private static final Path CONTAINERD = Path.of("/usr/bin/containerd");
    private static final Path CTR = Path.of("/usr/bin/ctr");
    private static final Path SHIM = Path.of("/usr/bin/containerd-shim-runc-v2");
    private static final Path RUN_DIRECTORY = Path.of("/run/containerd");
    private static final String CONFIG = """
            version = 2
            disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
              "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
              "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
            """;

    private final Process daemon;
    private final Path socket;
    private final Path log;
    private final boolean madeRunDirectory;

    private PrivateContainerd(Process daemon, Path socket, Path log, boolean madeRunDirectory) {
        this.daemon = daemon;
        this.socket = socket;
        this.log = log;
        this.madeRunDirectory = madeRunDirectory;
    }

    /** Skips the calling test unless containerd, ctr and the runc v2 shim are installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(CONTAINERD) && Files.isExecutable(CTR) && Files.isExecutable(SHIM),
                "needs containerd, ctr and containerd-shim-runc-v2 (apt-get install containerd)");
    }

    /** Starts a daemon on {@code directory} and waits until it answers. */
    static PrivateContainerd start(Path directory) throws IOException, InterruptedException {
        Path config = Files.writeString(directory.resolve("config.toml"), CONFIG);
        Path socket = directory.resolve("containerd.sock");
        Path log = directory.resolve("containerd.log");
        boolean madeRunDirectory = !Files.exists(RUN_DIRECTORY);
        Process daemon = new ProcessBuilder(CONTAINERD.toString(), "--config", config.toString(),
                "--root", directory.resolve("root").toString(), "--state", directory.resolve("state").toString(),
                "--address", socket.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        PrivateContainerd containerd = new PrivateContainerd(daemon, socket, log, madeRunDirectory);
        try {
            containerd.awaitAnswer(directory);
        } catch (AssertionError notAnswering) {
            containerd.close();
            throw notAnswering;
        }
        return containerd;
    }

    /** {@return ctr on this daemon, in {@code namespace}, its output files in {@code scratch}} */
    EngineCli ctr(String namespace, Path scratch) {
        return new EngineCli(List.of(CTR.toString(), "--address", socket.toString(), "--namespace", namespace), scratch);
    }

    private String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code ctr version}, which needs the daemon's answer, until it succeeds. */
    private void awaitAnswer(Path scratch) {
        EngineCli ctr = ctr("default", scratch);
        for (int attempt = 0; ctr.run("version").exitCode() != 0; attempt++) {
            assertThat(daemon.isAlive()).as("containerd ended: %s", log()).isTrue();
            assertThat(attempt).as("containerd never answered: %s", log()).isLessThan(300);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Stops the daemon with SIGTERM to its PID (SIGKILL if it does not end) and removes the shims'
     * socket directory if the daemon made it and the shims left it empty.
     */
    @Override
    public void close() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
            daemon.destroyForcibly().waitFor();
        }
        if (madeRunDirectory) {
            for (Path directory : List.of(RUN_DIRECTORY.resolve("s"), RUN_DIRECTORY)) {
                try {
                    Files.deleteIfExists(directory);
                } catch (DirectoryNotEmptyException stillUsed) {
                    return;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
