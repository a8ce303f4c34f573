package dev.jrun.cli;

import dev.jrun.resident.ResidentClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes {@code jrun-client}, the forwarding client of the {@link ResidentHelper} of the jar this
 * runs from; the build runs it at {@code package}, beside the jar.
 */
final class ResidentClientFile {

    private ResidentClientFile() {
    }

    /** Writes the client to the path {@code args[0]}, executable. */
    public static void main(String[] args) throws IOException {
        Path jar = ResidentHelper.jar().orElseThrow(() -> new IllegalStateException("run this from jrun.jar"));
        Path client = Path.of(args[0]);
        Path written = Files.write(client.resolveSibling(client.getFileName() + ".tmp"),
                ResidentClient.executable(ResidentHelper.socket(jar)));
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.move(written, client, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
