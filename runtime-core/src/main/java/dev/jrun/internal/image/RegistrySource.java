package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.ImagePullException.Reason;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;
import dev.jrun.image.PullProgress;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * An image in a registry: its manifest (through multi-platform indexes, to the host's platform),
 * config and layers copied into the store, each blob streamed into a temporary file while its
 * digest and size are checked and renamed into place only when they match (BlobStore). A blob the
 * store already holds, verified, is not fetched again, so a pull that was interrupted resumes
 * with the blobs it completed.
 */
final class RegistrySource {

    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_MANIFEST, MediaTypes.DOCKER_MANIFEST,
            MediaTypes.OCI_INDEX, MediaTypes.DOCKER_LIST);
    /** Manifests and indexes are small; a registry that sends more is not trusted with memory. */
    private static final int MANIFEST_LIMIT = 4 << 20;
    private static final int MAX_INDEX_DEPTH = 2;

    private final RegistryClient registry;
    private final BlobStore blobs;
    private final PullProgress progress;
    private final ImageReference reference;

    RegistrySource(RegistryClient registry, BlobStore blobs, PullProgress progress, ImageReference reference) {
        this.registry = registry;
        this.blobs = blobs;
        this.progress = progress;
        this.reference = reference;
    }

    SourceImage copy() throws IOException {
        Optional<Digest> pinned = reference.digest().map(Digest::parse);
        Manifest manifest = fetchManifest(pinned.map(Digest::toString).orElseGet(() -> reference.tag().orElseThrow()),
                pinned);
        for (int depth = 0; MediaTypes.INDEXES.contains(manifest.mediaType()); depth++) {
            if (depth == MAX_INDEX_DEPTH) {
                throw new InvalidImageException(reference + ": indexes nested too deep");
            }
            Descriptor chosen = Platform.choose(ImageJson.descriptors(manifest.document(), "manifests", manifest.what()),
                    manifest.what());
            manifest = fetchManifest(chosen.digest().toString(), Optional.of(chosen.digest()));
        }
        if (!MediaTypes.MANIFESTS.contains(manifest.mediaType())) {
            throw new InvalidImageException(manifest.what() + ": unsupported manifest media type \""
                    + manifest.mediaType() + "\"");
        }
        Digest digest = blobs.put(manifest.content(), manifest.what());
        copyBlob(ImageJson.descriptor(manifest.document().path("config"), manifest.what() + " config"), "config",
                PullProgress.NONE);
        for (Descriptor layer : ImageJson.descriptors(manifest.document(), "layers", manifest.what())) {
            copyBlob(layer, "layer", progress);
        }
        return new SourceImage(digest, manifest.content().length, Optional.of(reference));
    }

    /** A manifest or index as fetched, its digest verified. */
    private record Manifest(byte[] content, JsonNode document, String mediaType, String what) {
    }

    /** @param expected the digest it must have, when a descriptor or the reference gives one */
    private Manifest fetchManifest(String tagOrDigest, Optional<Digest> expected) throws IOException {
        HttpResponse<InputStream> response = registry.get("manifests/" + tagOrDigest, ACCEPT);
        if (response.statusCode() == 404) {
            response.body().close();
            throw registry.failure(Reason.MANIFEST_UNKNOWN, "manifest unknown");
        }
        if (response.statusCode() != 200) {
            throw registry.unexpected(response, "manifest " + tagOrDigest);
        }
        byte[] content;
        try (InputStream body = response.body()) {
            content = body.readNBytes(MANIFEST_LIMIT + 1);
        }
        String what = "manifest " + tagOrDigest + " of " + reference;
        if (content.length > MANIFEST_LIMIT) {
            throw new InvalidImageException(what + " is larger than " + MANIFEST_LIMIT + " bytes");
        }
        Digest actual = Digest.of(content);
        Optional<Digest> announced = response.headers().firstValue("Docker-Content-Digest").map(Digest::parse);
        for (Digest wanted : expected.or(() -> announced).stream().toList()) {
            if (!actual.equals(wanted)) {
                throw new InvalidImageException(what + " has digest " + actual + ", expected " + wanted);
            }
        }
        JsonNode document = ImageJson.parse(content, what);
        return new Manifest(content, document, mediaType(document, response), what);
    }

    /** The document's own mediaType, else the Content-Type, else what its fields say it is. */
    private static String mediaType(JsonNode document, HttpResponse<?> response) {
        String declared = document.path("mediaType").asText("");
        if (!declared.isEmpty()) {
            return declared;
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("").replaceFirst(";.*", "").strip();
        if (MediaTypes.INDEXES.contains(contentType) || MediaTypes.MANIFESTS.contains(contentType)) {
            return contentType;
        }
        return document.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    private void copyBlob(Descriptor descriptor, String kind, PullProgress report) throws IOException {
        String what = kind + " " + descriptor.digest() + " of " + reference;
        String digest = descriptor.digest().toString();
        report.started(digest, descriptor.size());
        if (blobs.holds(descriptor.digest(), descriptor.size(), what)) {
            report.finished(digest, descriptor.size(), false);
            return;
        }
        HttpResponse<InputStream> response = registry.get("blobs/" + digest, "");
        if (response.statusCode() != 200) {
            throw registry.unexpected(response, what);
        }
        try (InputStream body = new ReportingInputStream(response.body(), report, digest, descriptor.size())) {
            blobs.put(body, descriptor.digest(), descriptor.size(), what);
        }
        report.finished(digest, descriptor.size(), true);
    }
}
