/**
 * The jrun library: containers ({@code dev.jrun}), the values they are described with and the
 * handles they are observed through ({@code dev.jrun.model}), their launch plans as data
 * ({@code dev.jrun.launch}), the OCI runtime ({@code dev.jrun.oci}) and images
 * ({@code dev.jrun.image}).
 * Nothing under {@code dev.jrun.internal} is exported. On the module path it
 * runs with {@code --enable-native-access=jrun.bindings,jrun.runtime.core}.
 */
module jrun.runtime.core {
    requires jrun.bindings;
    // Only the OCI runtime (dev.jrun.oci) reads JSON, with Jackson's streaming parser: optional for everything else.
    requires static com.fasterxml.jackson.core;
    // Only the image store reads JSON with databind's tree model, and tar and gzip.
    requires static com.fasterxml.jackson.databind;
    requires static org.apache.commons.compress;
    // ... and zstd layers.
    requires static com.github.luben.zstd_jni;
    // The image store's registry pulls.
    requires java.net.http;

    exports dev.jrun;
    exports dev.jrun.model;
    exports dev.jrun.launch;
    exports dev.jrun.oci;
    exports dev.jrun.image;
    exports dev.jrun.resident;
}
