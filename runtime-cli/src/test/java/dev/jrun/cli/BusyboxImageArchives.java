package dev.jrun.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A busybox image written by a shell script with the system's tar and sha256sum (never by jrun),
 * as a docker-archive ({@code docker.tar}, named cli-test/busybox:docker) and an OCI archive
 * ({@code oci.tar}), one layer each, whose Cmd is {@code echo "from the Cmd"} unless the test
 * gives the config's process settings.
 */
final class BusyboxImageArchives {

    private static final String BUILD = """
            set -eu
            cd "$1"
            mkdir -p rootfs/bin rootfs/proc rootfs/dev rootfs/sys rootfs/tmp rootfs/etc docker oci/blobs/sha256
            cp /bin/busybox rootfs/bin/busybox
            for applet in sh echo cat; do ln -s busybox rootfs/bin/$applet; done
            tar -C rootfs -cf layer.tar .
            layer=$(sha256sum layer.tar | cut -d' ' -f1)
            size() { stat -c %s "$1"; }
            printf '{"architecture":"amd64","os":"linux","config":%s,\
            "rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' "$2" "$layer" > config.json
            config=$(sha256sum config.json | cut -d' ' -f1)
            mkdir docker/$layer && cp layer.tar docker/$layer/layer.tar && cp config.json docker/$config.json
            printf '[{"Config":"%s.json","RepoTags":["cli-test/busybox:docker"],"Layers":["%s/layer.tar"]}]' \
                "$config" "$layer" > docker/manifest.json
            tar -C docker -cf docker.tar .
            cp layer.tar oci/blobs/sha256/$layer && cp config.json oci/blobs/sha256/$config
            printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
                "$config" "$(size config.json)" "$layer" "$(size layer.tar)" > manifest.json
            manifest=$(sha256sum manifest.json | cut -d' ' -f1)
            cp manifest.json oci/blobs/sha256/$manifest
            printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "digest":"sha256:%s","size":%s}]}' "$manifest" "$(size manifest.json)" > oci/index.json
            echo '{"imageLayoutVersion":"1.0.0"}' > oci/oci-layout
            tar -C oci -cf oci.tar .
            """;

    private static final String DEFAULT_PROCESS = """
            {"Env":["PATH=/bin"],"Cmd":["echo","from the Cmd"]}""";

    private BusyboxImageArchives() {
    }

    /** Writes {@code docker.tar} and {@code oci.tar} in {@code directory}; skips the test without busybox. */
    static void writeTo(Path directory) throws IOException, InterruptedException {
        writeTo(directory, DEFAULT_PROCESS);
    }

    /** As {@link #writeTo(Path)}, with {@code process} (JSON) as the config's "config" object. */
    static void writeTo(Path directory, String process) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs /bin/busybox: install busybox-static");
        Process build = new ProcessBuilder("sh", "-c", BUILD, "build", directory.toString(), process)
                .redirectErrorStream(true).start();
        String output = new String(build.getInputStream().readAllBytes());
        assertThat(build.waitFor()).as(output).isZero();
    }
}
