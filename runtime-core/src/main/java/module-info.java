/**
 * The jrun library: containers ({@code dev.jrun}), the values they are described with and the
 * handles they are observed through ({@code dev.jrun.model}), their launch plans as data
 * ({@code dev.jrun.launch}) and the OCI runtime ({@code dev.jrun.oci}).
 * Nothing under {@code dev.jrun.internal} is exported. On the module path it
 * runs with {@code --enable-native-access=jrun.bindings,jrun.runtime.core}.
 */
module jrun.runtime.core {
    requires jrun.bindings;
    // Only the OCI runtime (dev.jrun.oci) reads JSON, with Jackson's streaming parser: optional for everything else.
    requires static com.fasterxml.jackson.core;

    exports dev.jrun;
    exports dev.jrun.model;
    exports dev.jrun.launch;
    exports dev.jrun.oci;
}
