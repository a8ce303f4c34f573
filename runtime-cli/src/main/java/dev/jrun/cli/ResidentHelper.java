package dev.jrun.cli;

import dev.jrun.resident.ResidentClient;
import dev.jrun.resident.ResidentRequest;
import dev.jrun.resident.ResidentServer;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The resident helper: a JVM that stays warm for some idle seconds and runs the short commands
 * engines call most ({@code state}, {@code start}, {@code kill}, {@code delete}...) for
 * {@code jrun-client}, the forwarding client {@code ./jrun} tries first, so that they cost no JVM
 * start (docs/benchmarks.md).
 *
 * <p>{@code ./jrun} runs a command in a JVM of its own when there is no helper, when the helper
 * declines it, and always for {@code run}, {@code create} and {@code exec}, whose container must
 * descend from the caller. A control command that found no helper starts one (root only: the
 * socket's directory is under {@code /run}), which listens until it has been idle for
 * {@code JRUN_HELPER_IDLE_SECONDS} (default {@value #DEFAULT_IDLE_SECONDS}), and leaves when the jar
 * it runs from changes. {@code JRUN_HELPER=off} keeps {@code ./jrun} from using or starting one.
 */
final class ResidentHelper {

    /** The commands the helper runs: they neither start a container nor read the caller's environment. */
    private static final Set<String> SERVED = Set.of("state", "start", "kill", "delete", "list", "ps", "pause",
            "resume", "features");
    private static final String SOCKET_DIRECTORY = "/run/jrun-helper";
    private static final int DEFAULT_IDLE_SECONDS = 30;

    private ResidentHelper() {
    }

    /**
     * Serves commands until idle on the socket of the jar it runs from, or on the socket
     * {@code args[0]} (tests, which run from classes); exits at once when another helper listens there.
     */
    public static void main(String[] args) throws IOException {
        Optional<Path> jar = jar();
        Path socket = args.length > 0 ? Path.of(args[0])
                : socket(jar.orElseThrow(() -> new IllegalStateException("give the socket: no jrun.jar to name it by")));
        Optional<BasicFileAttributes> built = jar.isPresent()
                ? Optional.of(Files.readAttributes(jar.get(), BasicFileAttributes.class)) : Optional.empty();
        Duration idle = Duration.ofSeconds(Integer.parseInt(
                System.getenv().getOrDefault("JRUN_HELPER_IDLE_SECONDS", Integer.toString(DEFAULT_IDLE_SECONDS))));
        Optional<ResidentServer> listening = ResidentServer.listen(socket);
        if (listening.isEmpty()) {
            return;
        }
        try (ResidentServer server = listening.get()) {
            for (Optional<ResidentRequest> next = server.next(idle); next.isPresent(); next = server.next(idle)) {
                try (ResidentRequest request = next.get()) {
                    if (built.isPresent() && rebuilt(jar.get(), built.get())) {
                        return;
                    }
                    List<String> arguments = request.arguments();
                    if (serves(arguments)) {
                        request.run(() -> clientStatus(Main.run(arguments.toArray(String[]::new))));
                    }
                } catch (IOException | RuntimeException e) {
                    // The client went away (its /proc entry, or the connection, is gone): serve the next.
                }
            }
        }
    }

    /** {@return the socket of the helper of {@code jar}: one per build, so two checkouts never share one} */
    static Path socket(Path jar) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jar.toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(SOCKET_DIRECTORY, HexFormat.of().formatHex(digest, 0, 8) + ".sock");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** {@return the jar jrun runs from, by its real path, or empty when it runs from classes (tests)} */
    static Optional<Path> jar() {
        try {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location.toRealPath()) : Optional.empty();
        } catch (URISyntaxException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@return whether the helper runs this command line}: a served command, or the version, with
     * absolute paths only. It is parsed as {@link Main#run} parses it; one that does not parse is
     * for the caller's own JVM to report.
     */
    static boolean serves(List<String> arguments) {
        String[] args = arguments.toArray(String[]::new);
        CommandLine commandLine = Main.commandLine(args);
        ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (ParameterException e) {
            return false;
        }
        JrunCommand jrun = commandLine.getCommand();
        if (!jrun.root.isAbsolute() || jrun.logFile != null && !jrun.logFile.isAbsolute()) {
            return false;
        }
        if (parsed.hasSubcommand()) {
            return SERVED.contains(parsed.subcommand().commandSpec().name());
        }
        return parsed.isVersionHelpRequested() || jrun.versionRequested;
    }

    /**
     * Starts a helper for the jar this JVM runs from, in the background, with nothing of this
     * process but its environment: no descriptor (its input and output are /dev/null), so a caller
     * waiting for this command's output to end never waits for the helper.
     */
    static void startInBackground() {
        Optional<Path> jar = jar();
        if (jar.isEmpty()) {
            return;
        }
        // The options ./jrun gives every command (runtime-cli/jvm.options, beside target/jrun.jar), but
        // compiled: the helper lives long enough for C1's code to pay.
        Path options = jar.get().getParent().resolveSibling("jvm.options");
        try {
            BackgroundJvm.start(BackgroundJvm.command(List.of("@" + options), ResidentHelper.class, List.of()),
                    ProcessBuilder.Redirect.DISCARD);
        } catch (IOException e) {
            // Without a helper the next command starts a JVM of its own, as this one did.
        }
    }

    /** {@return the status for the client}: 254 and 255 are its own (declined, unreachable), so neither is passed on */
    private static int clientStatus(int status) {
        return status == ResidentClient.DECLINED || status == ResidentClient.UNREACHABLE ? 1 : status;
    }

    /** {@return whether the jar changed, or is gone, since the helper started} */
    private static boolean rebuilt(Path jar, BasicFileAttributes built) {
        try {
            BasicFileAttributes now = Files.readAttributes(jar, BasicFileAttributes.class);
            return !now.lastModifiedTime().equals(built.lastModifiedTime()) || now.size() != built.size();
        } catch (IOException e) {
            return true;
        }
    }
}
