package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.Image;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.util.List;

/**
 * An image's manifest and config read back from the store's blobs, each verified, with the
 * checks that decide whether jrun can run it: known media types, the host's platform, one
 * diff_id per layer.
 *
 * @param manifest the manifest's digest
 * @param config   its config's descriptor
 * @param layers   its layers' descriptors, bottom first
 * @param diffIds  the config's digests of the uncompressed layers, in the same order
 * @param image    the public view
 */
record StoredImage(Digest manifest, Descriptor config, List<Descriptor> layers, List<Digest> diffIds, Image image) {

    /** @param manifestSize its size, or -1 when no descriptor gives it (a name's manifest) */
    static StoredImage read(BlobStore blobs, ImageReference reference, Digest manifest, long manifestSize)
            throws IOException {
        String what = "manifest " + manifest + " of " + reference;
        JsonNode document = ImageJson.parse(blobs.read(manifest, manifestSize, what), what);
        String mediaType = document.path("mediaType").asText(MediaTypes.OCI_MANIFEST);
        if (!MediaTypes.MANIFESTS.contains(mediaType) || document.path("schemaVersion").asInt() != 2) {
            throw new InvalidImageException(what + ": unsupported manifest (media type \"" + mediaType
                    + "\", schemaVersion " + document.path("schemaVersion") + ")");
        }
        Descriptor config = ImageJson.descriptor(document.path("config"), what + " config");
        if (!MediaTypes.CONFIGS.contains(config.mediaType())) {
            throw new InvalidImageException(what + ": config media type \"" + config.mediaType()
                    + "\" is not an image config (an artifact, not a container image?)");
        }
        List<Descriptor> layers = ImageJson.descriptors(document, "layers", what);
        for (Descriptor layer : layers) {
            if (!MediaTypes.LAYERS.contains(layer.mediaType())) {
                throw new InvalidImageException(what + ": layer " + layer.digest() + " has unsupported media type \""
                        + layer.mediaType() + "\"");
            }
        }
        String configWhat = "config " + config.digest() + " of " + reference;
        JsonNode configDocument = ImageJson.parse(blobs.read(config.digest(), config.size(), configWhat), configWhat);
        String platform = ImageJson.platform(configDocument);
        if (!Platform.matches(platform)) {
            throw new InvalidImageException(reference + " is an image for " + platform + ", this host runs "
                    + Platform.host() + " images");
        }
        List<Digest> diffIds = ImageJson.diffIds(configDocument, configWhat);
        if (diffIds.size() != layers.size()) {
            throw new InvalidImageException(configWhat + " lists " + diffIds.size() + " diff_ids for "
                    + layers.size() + " layers");
        }
        long size = config.size() + layers.stream().mapToLong(Descriptor::size).sum();
        Image image = new Image(reference, config.digest().toString(), manifest.toString(),
                layers.stream().map(layer -> layer.digest().toString()).toList(), size,
                ImageJson.processConfig(configDocument));
        return new StoredImage(manifest, config, layers, diffIds, image);
    }
}
