package dev.jrun.internal.network;

import dev.jrun.bindings.Libc;
import dev.jrun.internal.sys.Descriptors;
import dev.jrun.internal.sys.Processes;
import dev.jrun.internal.sys.Processes.Placement;
import dev.jrun.model.PortMapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A slirp4netns process that gives one container's network namespace a tap device with outbound
 * access, started as podman starts it: against the container's first process while it waits at the
 * gate, told to end through {@code --exit-fd} (whose other end only this JVM holds, so it also ends
 * when the JVM dies; the helper of a container that outlives the JVM has none, see {@link
 * Lifetime}), ready once it wrote to {@code --ready-fd}, and driven through its API socket
 * for port forwards. It runs sandboxed, as podman runs it ({@code --enable-sandbox}: a mount
 * namespace of its own with only /etc and /run, every capability dropped but
 * CAP_NET_BIND_SERVICE; {@code --enable-seccomp}), because as root it parses the container's
 * packets with the host's privileges otherwise. The host's loopback stays reachable at 10.0.2.2
 * ({@code --disable-host-loopback} is not set): that is how a container reaches a test's server.
 * A TCP port published on an IPv6 host address, which its API does not take, is forwarded from a
 * free port of 127.0.0.1 and relayed there by this JVM ({@link Ipv6Relay}).
 */
public final class Slirp4netns implements AutoCloseable {

    private static final String NAME = "slirp4netns";
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");
    /** Where the helper finds its pipes, after stdio. */
    private static final int READY_FD = 3;
    private static final int EXIT_FD = 4;

    private static final int NO_EXIT_FD = -1;

    private final int pid;
    private final int pidfd;
    private final int exitWriteEnd;
    private final Path directory;
    private final List<Ipv6Relay> relays = new ArrayList<>();
    private boolean stopped;

    private Slirp4netns(int pid, int pidfd, int exitWriteEnd, Path directory) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.exitWriteEnd = exitWriteEnd;
        this.directory = directory;
    }

    /**
     * {@return the helper's executable, found in {@code PATH} or the system's directories}
     *
     * @throws IllegalStateException naming slirp4netns and its package, when it is not installed
     */
    public static Path locate() {
        Stream<String> path = Optional.ofNullable(System.getenv("PATH")).stream().flatMap(p -> Stream.of(p.split(":")));
        return locate(Stream.concat(path, SYSTEM_DIRECTORIES.stream()).toList());
    }

    /** {@return the helper in the first of {@code directories} (absolute ones only) that has it} */
    static Path locate(List<String> directories) {
        return directories.stream()
                .filter(directory -> directory.startsWith("/"))
                .map(directory -> Path.of(directory, NAME))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the private network needs the user-mode network helper "
                        + NAME + ", which is not installed (in PATH or " + String.join(", ", SYSTEM_DIRECTORIES)
                        + "): install Debian's package slirp4netns (apt-get install slirp4netns)"));
    }

    /**
     * Checks, before anything is created, that every port of {@code published} can be forwarded for
     * a helper of {@code lifetime}: one on an IPv6 host address is relayed by this JVM, so it must be
     * TCP, for a container that ends with this JVM.
     *
     * @throws IllegalArgumentException naming the mapping, when it cannot be
     */
    public static void requireForwardable(List<PortMapping> published, Lifetime lifetime) {
        for (PortMapping mapping : published.stream().filter(Ipv6Relay::needed).toList()) {
            String refusal = "publish port " + mapping + ": " + NAME + " listens on IPv4 host addresses only, and"
                    + " jrun relays an IPv6 one itself";
            if (mapping.protocol() != PortMapping.Protocol.TCP) {
                throw new IllegalArgumentException(refusal + " for TCP only");
            }
            if (lifetime != Lifetime.ENDS_WITH_JVM) {
                throw new IllegalArgumentException(refusal + ", for as long as it runs: not for a container that"
                        + " outlives it (detached, named or kept); publish it on an IPv4 address");
            }
        }
    }

    /**
     * Starts the helper for the network namespace of {@code containerPid} and returns once it has
     * configured it (tap0 at 10.0.2.100, routes through 10.0.2.2, DNS at 10.0.2.3) and forwards
     * {@code published}. Its directory (API socket, log) is removed then: nothing more is asked of
     * it, and a JVM killed later leaves no directory behind (the helper ends through its exit pipe).
     *
     * @throws IllegalStateException with the helper's own message, if it ends before it is ready, or
     *                               naming the mapping it refuses; the helper is then stopped
     */
    public static Slirp4netns start(Path executable, int containerPid, List<PortMapping> published,
                                    Lifetime lifetime) {
        Path directory = privateDirectory();
        Descriptors.Pipe ready;
        Optional<Descriptors.Pipe> exit = Optional.empty();
        int pid;
        try {
            ready = Descriptors.pipe();
            if (lifetime == Lifetime.ENDS_WITH_JVM) {
                exit = Optional.of(Descriptors.pipe());
            }
        } catch (RuntimeException e) {
            deleteDirectory(directory);
            throw e;
        }
        try {
            pid = spawn(executable, containerPid, directory, ready.writeEnd(), exit.map(Descriptors.Pipe::readEnd));
        } catch (RuntimeException e) {
            exit.ifPresent(pipe -> Descriptors.close(pipe.writeEnd()));
            Descriptors.close(ready.readEnd());
            deleteDirectory(directory);
            throw e;
        } finally {
            Descriptors.close(ready.writeEnd());
            exit.ifPresent(pipe -> Descriptors.close(pipe.readEnd()));
        }
        Slirp4netns helper = new Slirp4netns(pid, Processes.pidfdOpen(pid), exit.map(Descriptors.Pipe::writeEnd)
                .orElse(NO_EXIT_FD), directory);
        try {
            helper.awaitReady(ready.readEnd());
            SlirpApi api = new SlirpApi(apiSocket(directory));
            for (PortMapping mapping : published) {
                if (Ipv6Relay.needed(mapping)) {
                    PortMapping slirpSide = Ipv6Relay.slirpSide(mapping);
                    api.addForward(slirpSide);
                    helper.relays.add(Ipv6Relay.start(mapping, slirpSide));
                } else {
                    api.addForward(mapping);
                }
            }
            deleteDirectory(directory);
            return helper;
        } catch (RuntimeException e) {
            helper.close();
            throw e;
        } finally {
            Descriptors.close(ready.readEnd());
        }
    }

    /** How long the helper may live when nobody stops it. */
    public enum Lifetime {
        /** Until this JVM ends: it holds the only write end of the helper's exit pipe. */
        ENDS_WITH_JVM,
        /**
         * Until it is signalled: the helper of a container that outlives its runtime, which
         * whoever removes the container stops by its PID.
         */
        OUTLIVES_JVM
    }

    /** {@return the helper's PID, as the host sees it} */
    public int pid() {
        return pid;
    }

    /** Lets the helper run on after this handle: it is no longer stopped through it. */
    public synchronized void detach() {
        if (!stopped) {
            stopped = true;
            Descriptors.close(pidfd);
        }
    }

    /** {@return the helper's PID}: stdin /dev/null, stdout and stderr to a log read when it fails */
    private static int spawn(Path executable, int containerPid, Path directory, int readyFd,
                             Optional<Integer> exitFd) {
        int nullInput = Descriptors.open("/dev/null", Libc.O_RDONLY());
        try {
            int log = Descriptors.open(createLog(directory).toString(), Libc.O_WRONLY());
            try {
                List<String> arguments = new ArrayList<>(List.of(NAME, "--configure", "--mtu=65520",
                        "--enable-sandbox", "--enable-seccomp", "--ready-fd=" + READY_FD));
                List<Placement> placements = new ArrayList<>(List.of(new Placement(nullInput, 0),
                        new Placement(log, 1), new Placement(log, 2), new Placement(readyFd, READY_FD)));
                exitFd.ifPresent(fd -> {
                    arguments.add("--exit-fd=" + EXIT_FD);
                    placements.add(new Placement(fd, EXIT_FD));
                });
                arguments.addAll(List.of("--api-socket", apiSocket(directory).toString(),
                        Integer.toString(containerPid), "tap0"));
                return Processes.spawn(executable.toString(), arguments, placements);
            } finally {
                Descriptors.close(log);
            }
        } finally {
            Descriptors.close(nullInput);
        }
    }

    private static Path privateDirectory() {
        try {
            // Mode 0700: the API socket inside lets whoever reaches it publish ports.
            return Files.createTempDirectory("jrun-slirp-");
        } catch (IOException e) {
            throw new UncheckedIOException("create a directory for " + NAME, e);
        }
    }

    private static Path createLog(Path directory) {
        try {
            return Files.createFile(directory.resolve("log"));
        } catch (IOException e) {
            throw new UncheckedIOException("create the log of " + NAME, e);
        }
    }

    private static Path apiSocket(Path directory) {
        return directory.resolve("api.sock");
    }

    /** The helper writes one byte when it is ready; end of file first means it gave up. */
    private void awaitReady(int readyFd) {
        try (Arena arena = Arena.ofConfined()) {
            if (Descriptors.read(readyFd, arena.allocate(1)) == 0) {
                throw new IllegalStateException(NAME + " ended before the container's network was ready: "
                        + log().strip());
            }
        }
    }

    private String log() {
        try {
            return Files.readString(directory.resolve("log"));
        } catch (IOException e) {
            return "(its log is unreadable: " + e.getMessage() + ")";
        }
    }

    /** Ends the helper (closing its exit descriptor tells it to), reaps it and removes its directory if left; once. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            relays.forEach(Ipv6Relay::close);
            Descriptors.closeIfOpen(exitWriteEnd);
            // It ends on the closed descriptor too, but only once it polls it again.
            Processes.signal(pidfd, Libc.SIGTERM());
            Processes.waitForPidfd(pidfd);
        } finally {
            Descriptors.close(pidfd);
            deleteDirectory(directory);
        }
    }

    private static void deleteDirectory(Path directory) {
        if (Files.notExists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + directory, e);
        }
    }
}
