package dev.jrun.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jrun.image.ImageReference;
import dev.jrun.image.InvalidImageException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * An OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}), as a
 * directory or an OCI archive: the image chosen from its index (by name when it holds several,
 * by the host's platform through multi-platform indexes) is copied blob by blob into the store,
 * each blob verified against its descriptor.
 */
final class OciLayoutSource {

    static final String INDEX = "index.json";
    /** containerd's and podman's full name; OCI's own annotation is often only a tag. */
    private static final String FULL_NAME = "io.containerd.image.name";
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final SourceFiles files;
    private final BlobStore blobs;

    OciLayoutSource(SourceFiles files, BlobStore blobs) {
        this.files = files;
        this.blobs = blobs;
    }

    SourceImage copy(Optional<ImageReference> wanted) throws IOException {
        JsonNode index = ImageJson.parse(Files.readAllBytes(files.require(INDEX)), files.description() + " " + INDEX);
        List<Descriptor> entries = ImageJson.descriptors(index, "manifests", INDEX);
        Descriptor chosen = choose(entries, wanted);
        Optional<ImageReference> name = nameOf(chosen);
        Descriptor manifest = resolveIndexes(chosen);
        copyBlob(manifest, "manifest");
        JsonNode document = ImageJson.parse(blobs.read(manifest.digest(), manifest.size(), "manifest"),
                "manifest " + manifest.digest());
        copyBlob(ImageJson.descriptor(document.path("config"), "manifest config"), "config");
        for (Descriptor layer : ImageJson.descriptors(document, "layers", "manifest " + manifest.digest())) {
            copyBlob(layer, "layer");
        }
        return new SourceImage(manifest.digest(), manifest.size(), name);
    }

    private Descriptor choose(List<Descriptor> entries, Optional<ImageReference> wanted) {
        if (entries.isEmpty()) {
            throw new InvalidImageException(files.description() + ": " + INDEX + " lists no image");
        }
        if (entries.size() == 1) {
            return entries.getFirst();
        }
        if (wanted.isPresent()) {
            List<Descriptor> named = entries.stream()
                    .filter(entry -> nameOf(entry).equals(wanted)
                            || entry.annotation(REF_NAME).equals(wanted.get().tag()))
                    .toList();
            if (named.size() == 1) {
                return named.getFirst();
            }
        }
        // An index of one image for several platforms, written flat.
        List<Descriptor> forHost = entries.stream()
                .filter(entry -> entry.platform().map(Platform::matches).orElse(false)).toList();
        if (forHost.size() == 1) {
            return forHost.getFirst();
        }
        throw new InvalidImageException(files.description() + " holds " + entries.size()
                + " images: name the one to import (" + String.join(", ",
                entries.stream().map(e -> nameOf(e).map(Object::toString).orElse(e.digest().toString())).toList())
                + ")");
    }

    /** Follows (multi-platform) indexes down to the manifest for the host's platform. */
    private Descriptor resolveIndexes(Descriptor descriptor) throws IOException {
        Descriptor current = descriptor;
        for (int depth = 0; MediaTypes.INDEXES.contains(current.mediaType()); depth++) {
            if (depth > 4) {
                throw new InvalidImageException(files.description() + ": indexes nested too deep");
            }
            copyBlob(current, "index");
            JsonNode index = ImageJson.parse(blobs.read(current.digest(), current.size(), "index"),
                    "index " + current.digest());
            List<Descriptor> manifests = ImageJson.descriptors(index, "manifests", "index " + current.digest());
            current = Platform.choose(manifests, "index " + current.digest() + " of " + files.description());
        }
        if (!MediaTypes.MANIFESTS.contains(current.mediaType())) {
            throw new InvalidImageException(files.description() + ": unsupported manifest media type \""
                    + current.mediaType() + "\" for " + current.digest());
        }
        return current;
    }

    private void copyBlob(Descriptor descriptor, String kind) throws IOException {
        String what = kind + " " + descriptor.digest() + " of " + files.description();
        try (InputStream in = files.open("blobs/sha256/" + descriptor.digest().hex())) {
            blobs.put(in, descriptor.digest(), descriptor.size(), what);
        }
    }

    private static Optional<ImageReference> nameOf(Descriptor entry) {
        Optional<String> name = entry.annotation(FULL_NAME)
                .or(() -> entry.annotation(REF_NAME).filter(ref -> ref.contains("/") || ref.contains(":")));
        try {
            return name.map(ImageReference::parse);
        } catch (InvalidImageException e) {
            return Optional.empty();
        }
    }
}
