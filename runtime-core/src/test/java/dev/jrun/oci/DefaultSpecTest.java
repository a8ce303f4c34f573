package dev.jrun.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jrun.Container;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.model.Capabilities;
import dev.jrun.model.DeviceRule;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Namespace;
import dev.jrun.model.Rlimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code jrun spec}'s configuration, runc's defaults, maps; {@code jrun features} lists what jrun applies. */
class DefaultSpecTest {

    @TempDir
    Path bundle;

    @Test
    void theDefaultSpecHasRuncsSecurityDefaultsAndMaps() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        byte[] json = OciJson.write(DefaultSpec.create()).getBytes(StandardCharsets.UTF_8);

        Container container = ConfigMapper.map(OciJson.read(json, Spec.class, bundle.resolve("config.json")),
                bundle, bundle.resolve("config.json"), SecurityModules.NONE, ConfigNotes.NONE).build();

        assertThat(container.capabilities()).hasValue(Capabilities.runcSpec());
        // runc 1.1's: no cgroup namespace, which a bundle may add without listing it twice.
        assertThat(container.namespaces().created())
                .containsExactlyInAnyOrder(Namespace.PID, Namespace.NETWORK, Namespace.IPC, Namespace.UTS, Namespace.MOUNT);
        assertThat(container.filesystem().maskedPaths()).isEqualTo(FilesystemSetup.DEFAULT_MASKED_PATHS);
        assertThat(container.filesystem().readOnlyPaths()).isEqualTo(FilesystemSetup.DEFAULT_READ_ONLY_PATHS);
        assertThat(container.rlimits()).containsExactly(new Rlimit(Rlimit.Type.NOFILE, 1024, 1024));
        assertThat(container.noNewPrivileges()).isTrue();
        assertThat(container.seccomp()).isEmpty();
        assertThat(container.resources().devices()).first().isEqualTo(DeviceRule.denyAll());
        assertThat(container.resources().devices())
                .containsAll(DeviceRule.containerDefaults().stream().filter(DeviceRule::allow).toList());
    }

    @Test
    void featuresListCgroupsSeccompCapabilitiesAndUserNamespaces() throws IOException {
        JsonNode linux = new ObjectMapper().readTree(Features.current().toJson()).get("linux");

        assertThat(linux.get("namespaces")).extracting(JsonNode::asText).contains("user", "cgroup", "time");
        assertThat(linux.get("capabilities")).extracting(JsonNode::asText).contains("CAP_SYS_ADMIN", "CAP_KILL");
        assertThat(linux.get("cgroup").get("v1").asBoolean()).isTrue();
        assertThat(linux.get("cgroup").get("v2").asBoolean()).isTrue();
        assertThat(linux.get("cgroup").get("systemd").asBoolean()).isFalse();
        assertThat(linux.get("apparmor").get("enabled").asBoolean()).isTrue();
        assertThat(linux.get("selinux").get("enabled").asBoolean()).isTrue();
        assertThat(linux.get("intelRdt").get("enabled").asBoolean()).isFalse();
        JsonNode seccomp = linux.get("seccomp");
        assertThat(seccomp.get("enabled").asBoolean()).isTrue();
        assertThat(seccomp.get("actions")).extracting(JsonNode::asText)
                .contains("SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_NOTIFY");
        assertThat(seccomp.get("operators")).extracting(JsonNode::asText).contains("SCMP_CMP_MASKED_EQ");
        assertThat(seccomp.get("archs")).extracting(JsonNode::asText).contains("SCMP_ARCH_X86_64");
        assertThat(seccomp.get("supportedFlags")).extracting(JsonNode::asText)
                .contains("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_NEW_LISTENER");
    }
}
