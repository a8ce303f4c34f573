package dev.jrun.internal.image;

import dev.jrun.image.InvalidImageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Credentials as podman's auth.json and docker's config.json hold them. */
class RegistryCredentialsTest {

    @TempDir
    Path directory;

    private Path file(String name, String json) throws IOException {
        return Files.writeString(directory.resolve(name), json);
    }

    private static String auth(String userAndPassword) {
        return Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theFirstFileWithTheRegistryWins() throws IOException {
        Path podman = file("auth.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("pod:one") + "\"}}}");
        Path docker = file("config.json", "{\"auths\":{\"registry.example:5000\":{\"auth\":\"" + auth("dock:two")
                + "\"},\"other.example\":{\"auth\":\"" + auth("other:three") + "\"}}}");

        assertThat(RegistryCredentials.find(List.of(directory.resolve("absent.json"), podman, docker),
                "registry.example:5000")).hasValueSatisfying(found -> {
                    assertThat(found.user()).isEqualTo("pod");
                    assertThat(found.header()).isEqualTo("Basic " + auth("pod:one"));
                    assertThat(found.file()).isEqualTo(podman);
                });
        assertThat(RegistryCredentials.find(List.of(podman, docker), "other.example")).get()
                .extracting(RegistryCredentials.Basic::user).isEqualTo("other");
        assertThat(RegistryCredentials.find(List.of(podman, docker), "registry.example")).isEmpty();
    }

    @Test
    void dockerHubIsFoundUnderTheUrlDockerWrites() throws IOException {
        Path docker = file("config.json", "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
                + auth("hubuser:pw") + "\"}}}");

        assertThat(RegistryCredentials.find(List.of(docker), "docker.io")).get()
                .extracting(RegistryCredentials.Basic::user).isEqualTo("hubuser");
    }

    @Test
    void anAuthThatIsNotUserColonPasswordIsRefusedNamingTheFile() throws IOException {
        Path broken = file("config.json", "{\"auths\":{\"r.example\":{\"auth\":\"" + auth("no-colon") + "\"}}}");

        assertThatThrownBy(() -> RegistryCredentials.find(List.of(broken), "r.example"))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage("credentials file " + broken + ": the auth of r.example is not user:password");
    }
}
