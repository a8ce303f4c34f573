package dev.jrun.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.oci.DefaultSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An OCI bundle with a busybox root filesystem (Debian's busybox-static), and its config.json as a
 * JSON tree a test changes before writing it.
 */
final class BusyboxBundle {

    static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final ObjectNode config;

    private BusyboxBundle(Path directory, ObjectNode config) {
        this.directory = directory;
        this.config = config;
    }

    /** Skips the calling test unless it runs as root with busybox-static installed. */
    static void assumeRootAndBusybox() {
        assumeTrue(isRoot(), "containers need root: namespaces and mounts need CAP_SYS_ADMIN");
        assumeTrue(Files.isExecutable(BUSYBOX), "the busybox root filesystem needs busybox-static (apt-get install busybox-static)");
    }

    static boolean isRoot() {
        try {
            return Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@return a bundle in {@code directory}: rootfs/ with busybox and its applets, and jrun's default
     * config.json (unwritten) running {@code args} without a terminal}
     */
    static BusyboxBundle create(Path directory, String... args) {
        try {
            Path bin = Files.createDirectories(directory.resolve("rootfs/bin"));
            Files.copy(BUSYBOX, bin.resolve("busybox"));
            Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
            for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
                if (!applet.isBlank() && !applet.equals("busybox")) {
                    Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
                }
            }
            for (String dir : List.of("proc", "sys", "dev", "etc", "tmp", "root")) {
                Files.createDirectories(directory.resolve("rootfs").resolve(dir));
            }
            ObjectNode config = (ObjectNode) JSON.readTree(DefaultSpec.json());
            BusyboxBundle bundle = new BusyboxBundle(directory, config);
            bundle.process().put("terminal", false);
            bundle.args(args);
            return bundle;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the bundle directory} */
    Path directory() {
        return directory;
    }

    /** {@return the config.json tree, to change} */
    ObjectNode config() {
        return config;
    }

    /** {@return the {@code process} object of the config} */
    ObjectNode process() {
        return (ObjectNode) config.get("process");
    }

    /** {@return the {@code linux} object of the config} */
    ObjectNode linux() {
        return (ObjectNode) config.get("linux");
    }

    /** Sets {@code process.args}. */
    BusyboxBundle args(String... args) {
        ArrayNode array = process().putArray("args");
        for (String arg : args) {
            array.add(arg);
        }
        return this;
    }

    /** Adds a bind mount of the host's {@code source} at {@code destination}. */
    BusyboxBundle bind(Path source, String destination) {
        ObjectNode mount = ((ArrayNode) config.get("mounts")).addObject();
        mount.put("destination", destination).put("type", "bind").put("source", source.toString());
        mount.putArray("options").add("rbind").add("rw");
        return this;
    }

    /** Adds a hook of {@code kind} running {@code path} with {@code args} (argv[0] first). */
    BusyboxBundle hook(String kind, String path, String... args) {
        ObjectNode hooks = config.has("hooks") ? (ObjectNode) config.get("hooks") : config.putObject("hooks");
        ArrayNode list = hooks.has(kind) ? (ArrayNode) hooks.get(kind) : hooks.putArray(kind);
        ObjectNode hook = list.addObject().put("path", path);
        ArrayNode argv = hook.putArray("args");
        for (String arg : args) {
            argv.add(arg);
        }
        return this;
    }

    /** Writes config.json; {@return the bundle directory} */
    Path write() {
        return writeRaw(config.toPrettyString());
    }

    /** Writes {@code text} as config.json, valid or not; {@return the bundle directory} */
    Path writeRaw(String text) {
        try {
            Files.writeString(directory.resolve("config.json"), text);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return {@code node} at a dotted path of the config, for assertions} */
    JsonNode at(String path) {
        JsonNode node = config;
        for (String name : path.split("\\.")) {
            node = node.get(name);
        }
        return node;
    }
}
