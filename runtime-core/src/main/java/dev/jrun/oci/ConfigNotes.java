package dev.jrun.oci;

import java.util.function.Consumer;

/**
 * Where the configuration's fields jrun leaves out on this host are reported: a warning where runc
 * warns too (deprecated fields), a debug line where runc is silent (a security label for a module
 * the host does not have).
 *
 * @param warnings where warnings go
 * @param debug    where debug lines go
 */
record ConfigNotes(Consumer<String> warnings, Consumer<String> debug) {

    /** Reports nothing. */
    static final ConfigNotes NONE = new ConfigNotes(message -> { }, message -> { });

    /** Reports what {@code problems} noted as ignored. */
    void report(Problems problems) {
        problems.ignored().forEach(ignored -> (ignored.warning() ? warnings : debug).accept(ignored.message()));
    }
}
