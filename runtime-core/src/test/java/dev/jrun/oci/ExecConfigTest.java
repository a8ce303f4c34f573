package dev.jrun.oci;

import dev.jrun.Container;
import dev.jrun.Plans;
import dev.jrun.internal.plan.SecurityModules;
import dev.jrun.model.Capabilities;
import dev.jrun.model.Capability;
import dev.jrun.model.FilesystemSetup;
import dev.jrun.model.Rlimit;
import dev.jrun.model.SeccompProfile;
import dev.jrun.model.User;
import dev.jrun.testing.FakeHosts;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config.json a container of an image keeps for exec: written as JSON and read back, it
 * gives an exec'd process the container's user, environment, working directory, capabilities,
 * rlimits and seccomp filter, no more and no less. No root needed: only values are compared.
 */
@Tag("plan")
class ExecConfigTest {

    @TempDir
    Path root;

    @Test
    void anExecProcessGetsTheProcessAndFilterTheContainerWasStartedWith() {
        Capabilities capabilities = Capabilities.dockerDefault().dropping(Capability.NET_RAW);
        SeccompProfile filter = SeccompProfile.defaultAction(SeccompProfile.Action.ERRNO).withDefaultErrnoRet(1)
                .withRule(SeccompProfile.Rule.of(SeccompProfile.Action.ALLOW, "read", "write", "exit_group"))
                .withRule(SeccompProfile.Rule.of(SeccompProfile.Action.ALLOW, "personality").withArgs(
                        SeccompProfile.Condition.of(0, SeccompProfile.Operator.EQUAL, 0xffffffffL),
                        SeccompProfile.Condition.of(1, SeccompProfile.Operator.EQUAL, -1L)));
        Container container = Plans.build(Container.builder()
                .command(List.of("httpd", "-f"))
                .filesystem(FilesystemSetup.rootfs(root).withWorkingDirectory("/srv"))
                .user(User.of(33, 33).withAdditionalGids(List.of(5L)))
                .environment("GREETING", "hi")
                .capabilities(capabilities)
                .rlimit(new Rlimit(Rlimit.Type.NOFILE, 512, 1024))
                .noNewPrivileges(true)
                .seccomp(filter), FakeHosts.root());

        Spec written = ExecConfig.of(container, root);
        Spec config = OciJson.read(OciJson.write(written).getBytes(StandardCharsets.UTF_8), Spec.class,
                root.resolve("config.json"));
        Spec.Process process = new Spec.Process(false, null, config.process().user(), List.of("id"), null,
                config.process().env(), config.process().cwd(), config.process().capabilities(),
                config.process().rlimits(), config.process().noNewPrivileges(), null, null, null, null, null, null);
        Container exec = Plans.build(ConfigMapper.mapExec(process, (int) ProcessHandle.current().pid(), config, root.resolve("config.json"),
                SecurityModules.NONE, ConfigNotes.NONE), FakeHosts.root());

        assertThat(config.root().path()).isEqualTo(root.toString());
        assertThat(exec.user()).isEqualTo(container.user());
        assertThat(exec.environment()).containsEntry("GREETING", "hi").containsEntry("PATH", Container.DEFAULT_PATH);
        assertThat(exec.filesystem().workingDirectory()).isEqualTo("/srv");
        assertThat(exec.capabilities()).contains(capabilities);
        assertThat(exec.rlimits()).containsExactly(new Rlimit(Rlimit.Type.NOFILE, 512, 1024));
        assertThat(exec.noNewPrivileges()).isTrue();
        assertThat(exec.seccomp()).contains(filter);
    }
}
