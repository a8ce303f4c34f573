package dev.jrun.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile config.json files and volumes, as an attacker writes them, through {@code jrun run -b}: a
 * mount under a volume's symlink, an inner volume on the host's /dev, a bind source swapped for a
 * symlink after jrun resolved it. Each is refused at the step that found it, the host directory
 * the symlinks aim at stays untouched, and no state is left.
 */
class OciMountEscapeTest {

    @TempDir
    Path work;
    /** The host directory the attacker aims at. */
    @TempDir
    Path host;

    private Path root;
    private OciCli jrun;
    private Path volume;

    @BeforeEach
    void setUp() throws IOException {
        BusyboxBundle.assumeRootAndBusybox();
        jrun = OciCli.in(work);
        root = jrun.root();
        volume = Files.createDirectories(work.resolve("volume"));
        Files.writeString(host.resolve("secret"), "secret");
    }

    @AfterEach
    void nothingIsLeft() {
        if (root != null) {
            assertThat(root).satisfiesAnyOf(r -> assertThat(r).doesNotExist(), r -> assertThat(r).isEmptyDirectory());
            assertThat(entries(host)).containsExactly("secret");
        }
    }

    private BusyboxBundle bundle(String... args) {
        return BusyboxBundle.create(work.resolve("bundle"), args);
    }

    private static void mount(BusyboxBundle bundle, String type, String source, String destination, String... options) {
        ObjectNode mount = ((ArrayNode) bundle.config().get("mounts")).addObject();
        mount.put("destination", destination).put("type", type).put("source", source);
        ArrayNode list = mount.putArray("options");
        List.of(options).forEach(list::add);
    }

    @Test
    void mountsUnderAVolumesSymlinkToTheHostAreRefused() throws IOException {
        Files.createSymbolicLink(volume.resolve("a"), Path.of("/oldroot" + host));
        BusyboxBundle bundle = bundle("true").bind(volume, "/vol");
        mount(bundle, "tmpfs", "tmpfs", "/vol/a/sub");
        mount(bundle, "bind", host.resolve("secret").toString(), "/vol/a/file", "bind", "ro");

        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), "planted");

        assertThat(result.exitCode()).isEqualTo(FailureExit.OCI.code());
        assertThat(result.stderr()).contains("open directory /vol/a in the container's root: ENOENT");
    }

    @Test
    void anInnerVolumeCannotLandOnTheHostsDev() throws IOException {
        Files.createSymbolicLink(volume.resolve("a"), Path.of("/oldroot/dev"));
        Path inner = Files.createDirectories(work.resolve("inner"));
        Files.createSymbolicLink(inner.resolve("random"), host.resolve("secret"));
        BusyboxBundle bundle = bundle("sh", "-c", "echo PWNED > /dev/random").bind(volume, "/vol").bind(inner, "/vol/a");

        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), "nested");

        assertThat(result.exitCode()).isEqualTo(FailureExit.OCI.code());
        assertThat(result.stderr()).contains("open /vol/a in the container's root: ENOENT");
        assertThat(host.resolve("secret")).hasContent("secret");
    }

    /**
     * jrun resolves a bind source to a real path when it reads config.json; a createRuntime hook
     * runs after that and before the container's mounts, the window an attacker who controls the
     * source's directory would race for. The source is opened refusing any symlink.
     */
    @Test
    void aBindSourceSwappedForASymlinkAfterItWasResolvedIsRefused() throws IOException {
        Path source = Files.createDirectories(volume.resolve("d")).toRealPath();
        BusyboxBundle bundle = bundle("ls", "/mnt");
        mount(bundle, "bind", source.toString(), "/mnt", "rbind", "ro");
        bundle.hook("createRuntime", "/bin/sh", "sh", "-c",
                "mv " + source + " " + source + ".real && ln -s " + host + " " + source);

        OciCli.Result result = jrun.run("run", "-b", bundle.write().toString(), "swapped");

        assertThat(result.exitCode()).isEqualTo(FailureExit.OCI.code());
        assertThat(result.stderr()).contains("open the host's " + source + ", which has no symlink: ELOOP");
        assertThat(result.stdout()).doesNotContain("secret");
    }

    private static List<String> entries(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            return list.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
