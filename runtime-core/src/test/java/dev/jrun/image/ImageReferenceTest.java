package dev.jrun.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** References are normalised as docker and podman normalise them. */
class ImageReferenceTest {

    @ParameterizedTest
    @CsvSource({
        "busybox, docker.io/library/busybox:latest",
        "busybox:1.36, docker.io/library/busybox:1.36",
        "docker.io/library/busybox:latest, docker.io/library/busybox:latest",
        "me/app, docker.io/me/app:latest",
        "localhost/app, localhost/app:latest",
        "localhost:5000/team/app:v2, localhost:5000/team/app:v2",
        "quay.io/podman/hello, quay.io/podman/hello:latest",
        "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,"
                + " docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void normalises(String given, String normalised) {
        assertThat(ImageReference.parse(given).toString()).isEqualTo(normalised);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BusyBox", "busybox:", "busybox@sha256:abc", "a//b", "", "busy box", "x:-tag"})
    void refusesInvalidReferences(String given) {
        assertThatThrownBy(() -> ImageReference.parse(given)).isInstanceOf(InvalidImageException.class);
    }
}
