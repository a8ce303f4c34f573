package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.image.ImageConfig;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes the JSON documents of an image: indexes, manifests, configs. */
final class ImageJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageJson() {
    }

    static JsonNode parse(byte[] content, String what) {
        try {
            JsonNode node = JSON.readTree(content);
            if (node == null || !node.isObject()) {
                throw new InvalidImageException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new InvalidImageException(what + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** {@return the descriptors of {@code field} (an index's "manifests", a manifest's "layers")} */
    static List<Descriptor> descriptors(JsonNode document, String field, String what) {
        JsonNode array = document.path(field);
        if (!array.isArray()) {
            throw new InvalidImageException(what + " has no \"" + field + "\" array");
        }
        List<Descriptor> descriptors = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            descriptors.add(descriptor(array.get(i), what + " " + field + "[" + i + "]"));
        }
        return descriptors;
    }

    static Descriptor descriptor(JsonNode node, String what) {
        String mediaType = node.path("mediaType").asText("");
        long size = node.path("size").asLong(-1);
        if (size < 0) {
            throw new InvalidImageException(what + " has no size");
        }
        Optional<String> platform = Optional.empty();
        JsonNode platformNode = node.path("platform");
        if (platformNode.isObject()) {
            String variant = platformNode.path("variant").asText("");
            platform = Optional.of(platformNode.path("os").asText("") + "/" + platformNode.path("architecture").asText("")
                    + (variant.isEmpty() ? "" : "/" + variant));
        }
        Map<String, String> annotations = new HashMap<>();
        node.path("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return new Descriptor(mediaType, Digest.parse(node.path("digest").asText(null)), size, platform, annotations);
    }

    /** A descriptor as JSON, for a manifest jrun writes. */
    static ObjectNode descriptorNode(String mediaType, Digest digest, long size) {
        ObjectNode node = object();
        node.put("mediaType", mediaType);
        node.put("digest", digest.toString());
        node.put("size", size);
        return node;
    }

    /** {@return {@code os/architecture} of an image config} */
    static String platform(JsonNode config) {
        return config.path("os").asText("") + "/" + config.path("architecture").asText("");
    }

    /** {@return rootfs.diff_ids of an image config, one a layer} */
    static List<Digest> diffIds(JsonNode config, String what) {
        List<Digest> ids = new ArrayList<>();
        JsonNode array = config.path("rootfs").path("diff_ids");
        if (!array.isArray()) {
            throw new InvalidImageException(what + " has no rootfs.diff_ids");
        }
        array.forEach(id -> ids.add(Digest.parse(id.asText(null))));
        return ids;
    }

    /** {@return the process settings of an image config ("config" of the OCI image config)} */
    static ImageConfig processConfig(JsonNode config) {
        JsonNode process = config.path("config");
        return new ImageConfig(strings(process.path("Entrypoint")), strings(process.path("Cmd")),
                strings(process.path("Env")), process.path("WorkingDir").asText(""), process.path("User").asText(""));
    }

    private static List<String> strings(JsonNode node) {
        List<String> values = new ArrayList<>();
        if (node instanceof ArrayNode array) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
