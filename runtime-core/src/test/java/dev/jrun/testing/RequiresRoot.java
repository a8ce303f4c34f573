package dev.jrun.testing;

import com.sun.security.auth.module.UnixSystem;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Skips a test that needs root, saying why it needs it. */
public final class RequiresRoot {

    private RequiresRoot() {
    }

    /** {@return whether this JVM runs as root} */
    public static boolean isRoot() {
        return new UnixSystem().getUid() == 0;
    }

    /** Skips the calling test unless it runs as root; {@code why} says what needs root. */
    public static void assumeRoot(String why) {
        assumeTrue(isRoot(), "needs root: " + why);
    }

    /** Skips the calling test unless it runs as root: it starts a real container. */
    public static void assumeRootForContainers() {
        assumeRoot("starts a real container (creates namespaces and mounts)");
    }
}
