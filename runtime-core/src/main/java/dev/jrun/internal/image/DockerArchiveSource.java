package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A docker-archive ({@code docker save}, {@code podman save}): {@code manifest.json} lists each
 * image's config file, names (RepoTags) and layer tars. Its files carry no digests, so each is
 * stored under the digest computed from it, and jrun writes the OCI manifest that ties them
 * together; the config's {@code rootfs.diff_ids} still check every layer when it is unpacked.
 */
final class DockerArchiveSource {

    static final String MANIFEST = "manifest.json";

    private final SourceFiles files;
    private final BlobStore blobs;

    DockerArchiveSource(SourceFiles files, BlobStore blobs) {
        this.files = files;
        this.blobs = blobs;
    }

    SourceImage copy(Optional<ImageReference> wanted) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(Files.readAllBytes(files.require(MANIFEST)));
        if (!(manifest instanceof ArrayNode images) || images.isEmpty()) {
            throw new InvalidImageException(files.description() + ": " + MANIFEST + " lists no image");
        }
        JsonNode image = choose(images, wanted);
        String what = files.description() + " " + MANIFEST;
        Path configFile = files.require(text(image, "Config", what));
        Digest config = blobs.putFile(configFile, "config of " + files.description());
        ObjectNode oci = ImageJson.object();
        oci.put("schemaVersion", 2);
        oci.put("mediaType", MediaTypes.OCI_MANIFEST);
        oci.set("config", ImageJson.descriptorNode(MediaTypes.OCI_CONFIG, config, Files.size(configFile)));
        ArrayNode layers = oci.putArray("layers");
        JsonNode layerNames = image.path("Layers");
        if (!layerNames.isArray()) {
            throw new InvalidImageException(what + " has no Layers for " + text(image, "Config", what));
        }
        for (JsonNode layerName : layerNames) {
            Path layerFile = files.require(layerName.asText());
            Digest layer = blobs.putFile(layerFile, "layer " + layerName.asText() + " of " + files.description());
            layers.add(ImageJson.descriptorNode(Compression.of(layerFile).layerMediaType(),
                    layer, Files.size(layerFile)));
        }
        byte[] ociManifest = ImageJson.write(oci);
        Digest digest = blobs.put(ociManifest, "manifest of " + files.description());
        return new SourceImage(digest, ociManifest.length, repoTags(image).stream().findFirst());
    }

    private JsonNode choose(ArrayNode images, Optional<ImageReference> wanted) {
        if (images.size() == 1) {
            return images.get(0);
        }
        List<String> names = new ArrayList<>();
        for (JsonNode image : images) {
            List<ImageReference> tags = repoTags(image);
            if (wanted.isPresent() && tags.contains(wanted.get())) {
                return image;
            }
            tags.forEach(tag -> names.add(tag.toString()));
        }
        throw new InvalidImageException(files.description() + " holds " + images.size()
                + " images: name the one to import (" + String.join(", ", names) + ")");
    }

    private static List<ImageReference> repoTags(JsonNode image) {
        List<ImageReference> tags = new ArrayList<>();
        for (JsonNode tag : image.path("RepoTags")) {
            try {
                tags.add(ImageReference.parse(tag.asText()));
            } catch (InvalidImageException e) {
                // A name jrun cannot read is no name: the caller gives one.
            }
        }
        return tags;
    }

    private static String text(JsonNode node, String field, String what) {
        String value = node.path(field).asText("");
        if (value.isEmpty()) {
            throw new InvalidImageException(what + " has no " + field);
        }
        return value;
    }
}
