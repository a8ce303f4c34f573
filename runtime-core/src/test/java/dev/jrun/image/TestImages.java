package dev.jrun.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.ZstdInputStream;
import dev.jrun.ImageStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Image sources written the way the tools that make them do, by the test itself (Jackson, the
 * JDK's SHA-256 and the system's {@code tar}), never by the code under test.
 */
final class TestImages {

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String GZIP_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String ZSTD_LAYER = "application/vnd.oci.image.layer.v1.tar+zstd";
    private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {
    }

    /** An image's process settings, as its config's "config" object. */
    static ObjectNode process(List<String> cmd) {
        ObjectNode process = JSON.createObjectNode();
        process.putArray("Cmd").addAll(cmd.stream().map(JSON.getNodeFactory()::textNode).toList());
        process.putArray("Env").add("PATH=/bin");
        return process;
    }

    /**
     * Writes an OCI image layout in {@code directory}: each layer (gzipped or zstd) as given, a config
     * whose diff_ids are the layers' uncompressed digests, a manifest, and an index naming it.
     *
     * @return the manifest's digest
     */
    static String ociLayout(Path directory, String name, ObjectNode process, List<byte[]> compressedLayers) {
        return ociLayout(directory, name, process, compressedLayers, diffIds(compressedLayers));
    }

    /** As {@link #ociLayout(Path, String, ObjectNode, List)}, with the config's diff_ids given (for damaged layers). */
    static String ociLayout(Path directory, String name, ObjectNode process, List<byte[]> compressedLayers,
                            List<String> diffIds) {
        ObjectNode manifest = manifest(directory.resolve("blobs/sha256"), process, compressedLayers, diffIds, "amd64");
        String digest = blob(directory.resolve("blobs/sha256"), write(manifest));
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OCI_INDEX);
        ObjectNode entry = index.putArray("manifests").addObject();
        descriptor(entry, OCI_MANIFEST, digest, write(manifest).length);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", name);
        writeLayoutFiles(directory, index);
        return digest;
    }

    /**
     * Writes an image manifest and its config and layers (gzipped or zstd, each with its media
     * type) into {@code blobs}; {@return the manifest}
     */
    static ObjectNode manifest(Path blobs, ObjectNode process, List<byte[]> compressedLayers, String architecture) {
        return manifest(blobs, process, compressedLayers, diffIds(compressedLayers), architecture);
    }

    private static ObjectNode manifest(Path blobs, ObjectNode process, List<byte[]> compressedLayers,
                                       List<String> layerDiffIds, String architecture) {
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.set("config", process);
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layerDiffIds.forEach(diffIds::add);
        byte[] configBytes = write(config);
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        descriptor(manifest.putObject("config"), "application/vnd.oci.image.config.v1+json", blob(blobs, configBytes),
                configBytes.length);
        ArrayNode layers = manifest.putArray("layers");
        for (byte[] layer : compressedLayers) {
            descriptor(layers.addObject(), isZstd(layer) ? ZSTD_LAYER : GZIP_LAYER, blob(blobs, layer), layer.length);
        }
        return manifest;
    }

    static void writeLayoutFiles(Path directory, ObjectNode index) {
        try {
            Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.write(directory.resolve("index.json"), write(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a docker-archive's files in {@code directory} ({@code docker save}'s layout: a
     * directory per layer with {@code layer.tar}, the config as {@code <hex>.json},
     * {@code manifest.json} with RepoTags).
     */
    static void dockerArchive(Path directory, String repoTag, ObjectNode process, List<byte[]> tars) {
        try {
            ObjectNode config = JSON.createObjectNode();
            config.put("architecture", "amd64");
            config.put("os", "linux");
            config.set("config", process);
            ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
            ObjectNode image = JSON.createArrayNode().addObject();
            ArrayNode layers = image.putArray("Layers");
            for (byte[] tar : tars) {
                String digest = sha256(tar);
                diffIds.add(digest);
                String name = digest.substring("sha256:".length()) + "/layer.tar";
                Files.createDirectories(directory.resolve(name).getParent());
                Files.write(directory.resolve(name), tar);
                layers.add(name);
            }
            byte[] configBytes = write(config);
            String configName = sha256(configBytes).substring("sha256:".length()) + ".json";
            Files.write(directory.resolve(configName), configBytes);
            image.put("Config", configName);
            image.putArray("RepoTags").add(repoTag);
            Files.write(directory.resolve("manifest.json"), write(JSON.createArrayNode().add(image)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that {@code store} keeps no container's root: each was removed when it was closed. */
    static void assertNoContainerRoots(ImageStore store) {
        Path containers = store.directory().resolve("containers");
        if (Files.isDirectory(containers)) {
            try (Stream<Path> roots = Files.list(containers)) {
                assertThat(roots).as("container roots left").isEmpty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Archives {@code directory}'s content with the system's tar; {@return the archive} */
    static Path tar(Path directory, Path archive) {
        try {
            Process tar = new ProcessBuilder("tar", "-C", directory.toString(), "-cf", archive.toString(), ".")
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            assertThat(tar.waitFor()).as(output).isZero();
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void descriptor(ObjectNode node, String mediaType, String digest, long size) {
        node.put("mediaType", mediaType);
        node.put("digest", digest);
        node.put("size", size);
    }

    /** Writes {@code content} as a blob of {@code blobs}; {@return its digest} */
    static String blob(Path blobs, byte[] content) {
        try {
            String digest = sha256(content);
            Files.createDirectories(blobs);
            Files.write(blobs.resolve(digest.substring("sha256:".length())), content);
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] write(Object node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@return the digests of the layers' uncompressed tars} */
    static List<String> diffIds(List<byte[]> compressedLayers) {
        return compressedLayers.stream().map(layer -> sha256(uncompressed(layer))).toList();
    }

    private static boolean isZstd(byte[] layer) {
        return Arrays.equals(layer, 0, ZSTD_MAGIC.length, ZSTD_MAGIC, 0, ZSTD_MAGIC.length);
    }

    private static byte[] uncompressed(byte[] layer) {
        ByteArrayInputStream compressed = new ByteArrayInputStream(layer);
        try (InputStream in = isZstd(layer) ? new ZstdInputStream(compressed) : new GZIPInputStream(compressed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
