package dev.jrun.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The config.json podman 4.3 (Debian 12) generates for {@code podman run --network none IMAGE sh -c
 * 'exit 3'}, captured from a real run: everything in it maps, except the security and cgroup sections,
 * which are refused by name until jrun's core applies them. When it does, this test says so.
 */
class PodmanConfigTest {

    @TempDir
    Path bundle;

    @Test
    void whatJrunRefusesOfPodmansConfigIsTheSecurityAndCgroupSectionsOnly() throws IOException {
        ObjectNode config = podmanConfig();

        assertThatThrownBy(() -> map(config))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::where)
                        .containsExactlyInAnyOrder("process.capabilities", "linux.resources.devices",
                                "linux.resources.pids", "linux.cgroupsPath", "linux.seccomp"));
    }

    /** The captured file, with its host paths (rootfs, bind sources) moved into the test's bundle. */
    private ObjectNode podmanConfig() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config;
        try (InputStream in = getClass().getResourceAsStream("/oci/podman-4.3-config.json")) {
            config = (ObjectNode) json.readTree(in);
        }
        Files.createDirectories(bundle.resolve("rootfs"));
        ((ObjectNode) config.get("root")).put("path", bundle.resolve("rootfs").toString());
        for (var mount : config.get("mounts")) {
            if (mount.get("type").asText().equals("bind")) {
                Path source = Files.createFile(bundle.resolve(Path.of(mount.get("source").asText()).getFileName()));
                ((ObjectNode) mount).put("source", source.toString());
            }
        }
        return config;
    }

    private void map(ObjectNode config) throws IOException {
        byte[] bytes = new ObjectMapper().writeValueAsBytes(config);
        Spec spec = OciJson.read(bytes, Spec.class, bundle.resolve("config.json"));
        ConfigMapper.map(spec, bundle, bundle.resolve("config.json"));
    }
}
