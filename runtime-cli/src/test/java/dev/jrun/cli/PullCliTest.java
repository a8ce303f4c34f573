package dev.jrun.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jrun pull} from Debian's registry server ({@link DistributionRegistry}) into which the
 * test pushed a busybox image with skopeo, then {@code jrun run}; a pull killed in the middle of a
 * layer and repeated; the errors for an unknown image and a registry that is not there.
 */
class PullCliTest {

    @TempDir
    Path directory;
    private Path storage;
    private JrunCli jrun;
    private DistributionRegistry registry;
    private String image;

    @BeforeEach
    void pushAnImage() throws Exception {
        HostSystem.assumeRoot("mounts an overlay root and starts containers");
        BusyboxImageArchives.writeTo(directory);
        registry = DistributionRegistry.start(directory);
        registry.push(directory.resolve("oci.tar"), "busybox:1", "oci");
        image = registry.address() + "/busybox:1";
        storage = directory.resolve("storage");
        jrun = new JrunCli(List.of("env", "JRUN_STORAGE=" + storage, "HOME=" + directory, "XDG_RUNTIME_DIR="),
                JrunCli.asThisUser().classpath());
    }

    @AfterEach
    void stopRegistry() throws IOException {
        if (registry != null) {
            registry.close();
        }
        assertThat(HostSystem.mountPoints()).noneMatch(point -> point.startsWith(directory.toString()));
    }

    @Test
    void anImagePushedWithSkopeoIsPulledAndRun() {
        JrunCli.Result pull = jrun.succeeds("pull", image);

        assertThat(pull.stdout()).startsWith(image + " sha256:");
        assertThat(pull.stderrLines()).singleElement().asString().startsWith("sha256:").contains("  done  ");
        assertThat(jrun.succeeds("images", "-q").stdoutLines()).containsExactly(image);
        assertThat(jrun.succeeds("run", "--rm", image).stdout()).isEqualTo("from the Cmd\n");
        assertThat(jrun.succeeds("pull", image).stderrLines()).singleElement().asString().contains("already stored");
    }

    @Test
    void anImageWithADockerManifestIsPulledAndRun() throws Exception {
        registry.push(directory.resolve("oci.tar"), "busybox:docker", "v2s2");
        String docker = registry.address() + "/busybox:docker";
        assertThat(registry.manifestMediaType("busybox", "docker"))
                .isEqualTo("application/vnd.docker.distribution.manifest.v2+json");

        jrun.succeeds("pull", docker);

        assertThat(jrun.succeeds("run", "--rm", docker, "sh", "-c", "echo docker format").stdout())
                .isEqualTo("docker format\n");
    }

    @Test
    void runPullsAnImageNamedWithItsRegistryWhenTheStoreLacksIt() {
        JrunCli.Result run = jrun.succeeds("run", "--rm", image, "sh", "-c", "echo pulled and run");

        assertThat(run.stdout()).isEqualTo("pulled and run\n");
        assertThat(run.stderrLines()).singleElement().asString().contains("  done  ");
        assertThat(jrun.succeeds("images", "-q").stdoutLines()).containsExactly(image);
    }

    @Test
    void aPullKilledInTheMiddleOfALayerIsRepeatedAndCompletes() throws Exception {
        try (StallingProxy proxy = new StallingProxy(registry.address())) {
            String throughProxy = proxy.address() + "/busybox:1";
            Process pull = jrun.start("pull", throughProxy);
            try {
                proxy.awaitHalfSent();
            } finally {
                JrunCli.killWithContainers(pull);
            }
            assertThat(jrun.succeeds("images", "-q").stdoutLines()).isEmpty();

            proxy.disarm();
            JrunCli.Result repeated = jrun.succeeds("pull", throughProxy);

            assertThat(repeated.stderrLines()).singleElement().asString().contains("  done  ");
            assertThat(jrun.succeeds("images", "-q").stdoutLines()).containsExactly(throughProxy);
            assertThat(jrun.succeeds("run", "--rm", throughProxy, "busybox", "sha256sum", "/bin/busybox").stdout())
                    .startsWith(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(Path.of("/bin/busybox")))) + " ");
            try (Stream<Path> blobs = Files.list(storage.resolve("blobs/sha256"))) {
                assertThat(blobs.map(blob -> blob.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
            }
        }
    }

    @Test
    void anUnknownImageSaysManifestUnknown() {
        String missing = registry.address() + "/nothing:1";

        JrunCli.Result pull = jrun.run("pull", missing);

        assertThat(pull.exitCode()).isEqualTo(125);
        assertThat(pull.stderr()).contains("pull " + missing + ": manifest unknown");
        assertThat(jrun.succeeds("images", "-q").stdoutLines()).isEmpty();
    }

    @Test
    void aRegistryThatIsNotThereIsNamed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        JrunCli.Result pull = jrun.run("pull", "127.0.0.1:" + closedPort + "/busybox:1");

        assertThat(pull.exitCode()).isEqualTo(125);
        assertThat(pull.stderr()).contains("cannot connect to registry 127.0.0.1:" + closedPort);
    }
}
