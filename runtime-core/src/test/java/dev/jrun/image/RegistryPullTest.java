package dev.jrun.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jrun.ImageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ImageStore#pull} against a registry the test serves ({@link TestRegistry}): redirects,
 * bearer tokens with the credentials of an auth file, multi-platform indexes, blobs cut off or
 * tampered with, concurrent pulls.
 */
class RegistryPullTest {

    @TempDir
    Path directory;
    private Path blobs;
    private TestRegistry registry;
    private ImageStore store;
    private byte[] bigLayer;
    private byte[] smallLayer;
    private String manifest;

    @BeforeEach
    void serveAnImage() {
        blobs = directory.resolve("served");
        registry = TestRegistry.serving(blobs);
        store = ImageStore.at(directory.resolve("store"));
        byte[] noise = new byte[512 * 1024];
        new Random(13).nextBytes(noise);
        bigLayer = new TestLayer().file("noise", noise, 0644).tarGz();
        smallLayer = new TestLayer().file("hello", "from the registry").tarGz();
        manifest = TestImages.blob(blobs, TestImages.write(TestImages.manifest(blobs,
                TestImages.process(List.of("cat", "/hello")), List.of(bigLayer, smallLayer), "amd64")));
        registry.tag("tools/hello:1", manifest);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    private String image() {
        return registry.address() + "/tools/hello:1";
    }

    private static PullOptions options() {
        return PullOptions.defaults().withAuthFiles(List.of());
    }

    @Test
    void anImageIsPulledByTagWithItsBlobsFetchedFromWhereTheRegistryRedirects() throws IOException {
        List<String> events = new ArrayList<>();
        Image image = store.pull(image(), options().withProgress(new PullProgress() {
            @Override
            public void finished(String digest, long size, boolean downloaded) {
                events.add(digest + " " + size + " " + downloaded);
            }
        }));

        assertThat(image.reference()).hasToString(image());
        assertThat(image.manifestDigest()).isEqualTo(manifest);
        assertThat(image.layers()).containsExactly(TestImages.sha256(bigLayer), TestImages.sha256(smallLayer));
        assertThat(store.find(image())).contains(image);
        assertThat(events).containsExactly(TestImages.sha256(bigLayer) + " " + bigLayer.length + " true",
                TestImages.sha256(smallLayer) + " " + smallLayer.length + " true");
        assertThat(registry.requests()).filteredOn(request -> request.startsWith("/storage/"))
                .hasSize(3).allMatch(request -> request.endsWith(" -"));
        Path unpacked = store.directory().resolve("layers");
        try (Stream<Path> files = Files.walk(unpacked)) {
            assertThat(files.filter(file -> file.getFileName().toString().equals("hello")).toList())
                    .singleElement().satisfies(file ->
                            assertThat(Files.readString(file)).isEqualTo("from the registry"));
        }
    }

    @Test
    void aZstdLayerIsPulledAndUnpacked() throws IOException {
        byte[] zstdLayer = new TestLayer().file("zstd", "from a zstd layer").tarZst();
        String zstdManifest = TestImages.blob(blobs, TestImages.write(TestImages.manifest(blobs,
                TestImages.process(List.of("cat", "/zstd")), List.of(zstdLayer), "amd64")));
        registry.tag("tools/zstd:1", zstdManifest);

        Image image = store.pull(registry.address() + "/tools/zstd:1", options());

        assertThat(image.layers()).containsExactly(TestImages.sha256(zstdLayer));
        Path unpacked = store.directory().resolve("layers")
                .resolve(TestImages.sha256(zstdLayer).substring("sha256:".length()));
        assertThat(Files.readString(unpacked.resolve("zstd"))).isEqualTo("from a zstd layer");
    }

    @Test
    void aSecondPullFetchesNoBlobAgain() {
        store.pull(image(), options());
        int before = registry.requests().size();
        List<String> events = new ArrayList<>();

        store.pull(image(), options().withProgress(new PullProgress() {
            @Override
            public void finished(String digest, long size, boolean downloaded) {
                events.add(digest + " " + downloaded);
            }
        }));

        assertThat(registry.requests().subList(before, registry.requests().size()))
                .noneMatch(request -> request.contains("/blobs/") || request.startsWith("/storage/"));
        assertThat(events).containsExactly(TestImages.sha256(bigLayer) + " false",
                TestImages.sha256(smallLayer) + " false");
    }

    @Test
    void aMultiPlatformIndexResolvesToTheHostsPlatform() {
        ObjectNode arm = TestImages.manifest(blobs, TestImages.process(List.of("sh")), List.of(smallLayer), "arm64");
        byte[] armBytes = TestImages.write(arm);
        byte[] amdBytes = TestImages.write(TestImages.manifest(blobs, TestImages.process(List.of("sh")),
                List.of(smallLayer), "amd64"));
        ObjectNode index = new ObjectMapper().createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", TestImages.OCI_INDEX);
        ObjectNode armEntry = index.putArray("manifests").addObject();
        TestImages.descriptor(armEntry, TestImages.OCI_MANIFEST, TestImages.blob(blobs, armBytes), armBytes.length);
        armEntry.putObject("platform").put("os", "linux").put("architecture", "arm64");
        ObjectNode amdEntry = index.withArray("manifests").addObject();
        String amd = TestImages.blob(blobs, amdBytes);
        TestImages.descriptor(amdEntry, TestImages.OCI_MANIFEST, amd, amdBytes.length);
        amdEntry.putObject("platform").put("os", "linux").put("architecture", "amd64");
        registry.tag("tools/multi:1", TestImages.blob(blobs, TestImages.write(index)));

        Image image = store.pull(registry.address() + "/tools/multi:1", options());

        assertThat(image.manifestDigest()).isEqualTo(amd);
    }

    @Test
    void aBearerTokenIsFetchedWithTheCredentialsOfTheAuthFile() throws IOException {
        registry.requireToken("alice:secret");

        Image image = store.pull(image(), options().withAuthFiles(List.of(directory.resolve("absent.json"),
                authFile("docker-config.json", "alice:secret"))));

        assertThat(image.manifestDigest()).isEqualTo(manifest);
        String basic = "Basic " + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.requests()).filteredOn(request -> request.startsWith("/token"))
                .singleElement().isEqualTo("/token " + basic);
        assertThat(registry.requests()).filteredOn(request -> request.startsWith("/v2/tools/hello/"))
                .last().asString().endsWith(" Bearer " + TestRegistry.TOKEN);
        assertThat(registry.requests()).filteredOn(request -> request.startsWith("/storage/"))
                .allMatch(request -> request.endsWith(" -"), "blob storage on another host gets no token");
    }

    @Test
    void basicCredentialsAreSentWhenTheRegistryAsksForThem() throws IOException {
        registry.requireBasic("bob:hunter2");

        Image image = store.pull(image(), options().withAuthFiles(List.of(authFile("auth.json", "bob:hunter2"))));

        assertThat(image.manifestDigest()).isEqualTo(manifest);
        String basic = "Basic " + Base64.getEncoder().encodeToString("bob:hunter2".getBytes(StandardCharsets.UTF_8));
        assertThat(registry.requests()).filteredOn(request -> request.startsWith("/v2/tools/hello/manifests/"))
                .last().asString().endsWith(" " + basic);
        assertThatThrownBy(() -> ImageStore.at(directory.resolve("other")).pull(image(), options()))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("registry " + registry.address() + " requires credentials");
    }

    @Test
    void refusedOrMissingCredentialsAreAnAuthenticationFailureThatSaysWhich() throws IOException {
        registry.requireToken("alice:secret");
        Path wrong = authFile("wrong.json", "alice:guess");

        assertThatThrownBy(() -> store.pull(image(), options().withAuthFiles(List.of(wrong))))
                .isInstanceOfSatisfying(ImagePullException.class, e ->
                        assertThat(e.reason()).isEqualTo(ImagePullException.Reason.UNAUTHORIZED))
                .hasMessageStartingWith("pull " + image() + ": token service http://" + registry.address() + "/token")
                .hasMessageContaining("refused the credentials of alice (from " + wrong + ")");
        assertThatThrownBy(() -> store.pull(image(), options()))
                .isInstanceOf(ImagePullException.class)
                .hasMessageContaining("refused anonymous access")
                .hasMessageContaining("registry " + registry.address() + " requires credentials");
        assertThat(store.images()).isEmpty();
    }

    @Test
    void anUnknownImageIsManifestUnknown() {
        String missing = registry.address() + "/tools/nothing:1";

        assertThatThrownBy(() -> store.pull(missing, options()))
                .isInstanceOfSatisfying(ImagePullException.class, e ->
                        assertThat(e.reason()).isEqualTo(ImagePullException.Reason.MANIFEST_UNKNOWN))
                .hasMessage("pull " + missing + ": manifest unknown");
    }

    @Test
    void aRefusedConnectionNamesTheRegistry() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String image = "127.0.0.1:" + closedPort + "/tools/hello:1";

        assertThatThrownBy(() -> store.pull(image, options()))
                .isInstanceOfSatisfying(ImagePullException.class, e ->
                        assertThat(e.reason()).isEqualTo(ImagePullException.Reason.UNREACHABLE))
                .hasMessage("pull " + image + ": cannot connect to registry 127.0.0.1:" + closedPort + " (http://127.0.0.1:"
                        + closedPort + "): connection refused");
    }

    @Test
    void aBlobWhoseDigestDoesNotMatchIsRefusedAndNothingIsStored() throws IOException {
        byte[] tampered = smallLayer.clone();
        tampered[tampered.length / 2] ^= 1;
        registry.replaceBlob(TestImages.sha256(smallLayer), tampered);

        assertThatThrownBy(() -> store.pull(image(), options()))
                .isInstanceOf(InvalidImageException.class)
                .hasMessageContaining("layer " + TestImages.sha256(smallLayer))
                .hasMessageContaining("has digest " + TestImages.sha256(tampered));

        assertThat(store.images()).isEmpty();
        assertThat(names(store.directory().resolve("blobs/sha256")))
                .doesNotContain(hex(smallLayer)).noneMatch(name -> name.startsWith(".tmp-"));
        assertThat(names(store.directory().resolve("layers"))).isEmpty();
    }

    @Test
    void aPullCutOffHalfwayLeavesNothingTrustedAndCompletesWhenRepeated() throws IOException {
        registry.cutHalfwayOnce(TestImages.sha256(bigLayer));

        assertThatThrownBy(() -> store.pull(image(), options())).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("pull " + image());
        assertThat(store.images()).isEmpty();
        assertThat(names(store.directory().resolve("blobs/sha256")))
                .doesNotContain(hex(bigLayer)).noneMatch(name -> name.startsWith(".tmp-"));

        Image image = store.pull(image(), options());

        assertThat(store.images()).containsExactly(image);
        Path stored = store.directory().resolve("blobs/sha256").resolve(hex(bigLayer));
        assertThat(TestImages.sha256(Files.readAllBytes(stored))).isEqualTo(TestImages.sha256(bigLayer));
    }

    @Test
    void twoPullsOfOneImageAtOnceBothSucceedAndFetchEachBlobOnce() throws Exception {
        Callable<Image> pull = () -> store.pull(image(), options());
        List<Image> images = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            List<Future<Image>> pulls = threads.invokeAll(List.of(pull, pull));
            for (Future<Image> result : pulls) {
                images.add(result.get());
            }
        }

        assertThat(images).hasSize(2).allMatch(image -> image.equals(images.getFirst()));
        assertThat(registry.requests()).filteredOn(request -> request.startsWith("/storage/"))
                .hasSize(3).doesNotHaveDuplicates();
    }

    private Path authFile(String name, String userAndPassword) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        return file;
    }

    private static String hex(byte[] blob) {
        return TestImages.sha256(blob).substring("sha256:".length());
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
