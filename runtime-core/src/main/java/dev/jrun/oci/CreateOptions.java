package dev.jrun.oci;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code create} (and {@code run}) take besides the container's ID.
 *
 * @param bundle        the bundle directory, holding {@code config.json}
 * @param pidFile       where to write the container's PID, once created
 * @param consoleSocket a Unix socket to send the terminal's controlling side to ({@code process.terminal})
 * @param preservedFds  how many descriptors from 3 on the container inherits
 */
public record CreateOptions(Path bundle, Optional<Path> pidFile, Optional<Path> consoleSocket, int preservedFds) {

    public CreateOptions {
        bundle = Objects.requireNonNull(bundle, "bundle").toAbsolutePath().normalize();
        Objects.requireNonNull(pidFile, "pidFile");
        Objects.requireNonNull(consoleSocket, "consoleSocket");
        if (preservedFds < 0) {
            throw new IllegalArgumentException("--preserve-fds cannot be negative: " + preservedFds);
        }
    }

    /** {@return the options for a bundle, with nothing else} */
    public static CreateOptions of(Path bundle) {
        return new CreateOptions(bundle, Optional.empty(), Optional.empty(), 0);
    }
}
