package dev.jrun.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.Container;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.model.Capabilities;
import dev.jrun.model.DeviceRule;
import dev.jrun.model.SeccompProfile;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config.json podman 4.3 (Debian 12) generates for {@code podman run --network none IMAGE sh -c
 * 'exit 3'}, captured from a real run: everything in it maps, its security and cgroup sections included.
 */
class PodmanConfigTest {

    @TempDir
    Path bundle;

    @Test
    void podmansConfigMapsWithItsCapabilitiesCgroupAndSeccompProfile() throws IOException {
        Container container = map(podmanConfig());

        assertThat(container.capabilities()).hasValue(Capabilities.dockerDefault());
        assertThat(container.resources().pidsLimit()).hasValue(2048);
        assertThat(container.resources().devices()).first().isEqualTo(DeviceRule.denyAll());
        assertThat(container.resources().devices()).containsAll(DeviceRule.containerDefaults().subList(1, 3));
        assertThat(container.cgroupPath()).get(InstanceOfAssertFactories.STRING).startsWith("/libpod_parent/libpod-");
        assertThat(container.seccomp()).get().satisfies(profile -> {
            assertThat(profile.defaultAction()).isEqualTo(SeccompProfile.Action.ERRNO);
            assertThat(profile.defaultErrnoRet()).hasValue(38);
            assertThat(profile.syscalls()).hasSize(19);
        });
        assertThat(container.user().umask()).hasValue(022);
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

    private Container map(ObjectNode config) throws IOException {
        byte[] bytes = new ObjectMapper().writeValueAsBytes(config);
        Spec spec = OciJson.read(bytes, Spec.class, bundle.resolve("config.json"));
        return ConfigMapper.map(spec, bundle, bundle.resolve("config.json"), SecurityModules.NONE, ConfigNotes.NONE)
                .build();
    }
}
