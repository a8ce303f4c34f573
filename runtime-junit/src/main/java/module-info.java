/**
 * A JUnit Jupiter extension for jrun: {@link dev.jrun.junit.Sandbox @Sandbox} fields hold
 * containers that start before a test (or a test class) and stop after it. On the module path it
 * runs with {@code --enable-native-access=jrun.bindings,jrun.runtime.core}.
 */
module jrun.runtime.junit {
    requires transitive jrun.runtime.core;
    requires transitive org.junit.jupiter.api;
    requires java.net.http;

    exports dev.jrun.junit;
}
