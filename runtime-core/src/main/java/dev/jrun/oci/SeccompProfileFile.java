package dev.jrun.oci;

import dev.jrun.model.SeccompProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seccomp profile file, as {@code jrun run --seccomp FILE} takes it: the OCI
 * {@code linux.seccomp} object as JSON, read as config.json's section is. The
 * fields only Docker's own format has ({@code archMap}, {@code includes},
 * {@code excludes}) are refused rather than ignored, since ignoring them would
 * change what the profile allows (a rule for {@code CAP_SYS_ADMIN} alone would
 * apply to every container).
 */
public final class SeccompProfileFile {

    private static final Set<String> DOCKER_FIELDS = Set.of("archMap", "includes", "excludes");

    private SeccompProfileFile() {
    }

    /**
     * {@return the profile in {@code file}}
     *
     * @throws InvalidConfigException   if the JSON is malformed or the profile has problems, each at its path
     * @throws IllegalArgumentException if it has a field of Docker's own format
     * @throws UncheckedIOException     if the file cannot be read
     */
    public static SeccompProfile read(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("read seccomp profile " + file, e);
        }
        Map<String, Object> tree = OciJson.readObject(json, file);
        refuseDockerFields(tree, "the profile", file);
        if (tree.get("syscalls") instanceof List<?> rules) {
            rules.forEach(rule -> refuseDockerFields(rule, "a syscalls entry", file));
        }
        Problems problems = new Problems();
        var profile = SeccompMapping.profile(OciJson.read(json, Spec.Seccomp.class, file), "", problems);
        problems.throwIfAny(file);
        return profile.orElseThrow();
    }

    private static void refuseDockerFields(Object node, String where, Path file) {
        if (!(node instanceof Map<?, ?> fields)) {
            return;
        }
        for (Object name : fields.keySet()) {
            if (DOCKER_FIELDS.contains(name)) {
                throw new IllegalArgumentException("seccomp profile " + file + ": unknown field \"" + name + "\" in "
                        + where + " (jrun reads the OCI linux.seccomp format; archMap, includes and excludes are"
                        + " Docker's own)");
            }
        }
    }
}
