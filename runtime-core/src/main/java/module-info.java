/**
 * The jrun library: containers ({@code dev.jrun}), their launch plans as data
 * ({@code dev.jrun.launch}), the OCI runtime ({@code dev.jrun.oci}) and the image store
 * ({@code dev.jrun.image}).
 * Nothing under {@code dev.jrun.internal} is exported. On the module path it
 * runs with {@code --enable-native-access=jrun.bindings,jrun.runtime.core}.
 */
module jrun.runtime.core {
    requires jrun.bindings;
    // Only the OCI runtime (dev.jrun.oci) reads JSON: Jackson is optional for everything else.
    requires static com.fasterxml.jackson.databind;
    // Only the image store (dev.jrun.image) reads tar and gzip.
    requires static org.apache.commons.compress;

    exports dev.jrun;
    exports dev.jrun.launch;
    exports dev.jrun.oci;
    exports dev.jrun.image;

    // Jackson reads config.json and writes state.json through the records' accessors.
    opens dev.jrun.oci to com.fasterxml.jackson.databind;
}
