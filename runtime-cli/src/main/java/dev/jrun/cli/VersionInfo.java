package dev.jrun.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** {@code jrun --version}: jrun's version, its commit, the OCI runtime-spec version and the Java version. */
final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        Properties build = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream("/jrun-version.properties")) {
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new String[] {
            "jrun version " + build.getProperty("version"),
            "commit: " + resolved(build.getProperty("commit")),
            "spec: " + build.getProperty("spec"),
            "java: " + System.getProperty("java.runtime.version"),
        };
    }

    /** A build from a source tree without git leaves the placeholder unfilled. */
    private static String resolved(String value) {
        return value.startsWith("${") ? "unknown" : value;
    }
}
