package dev.jrun.oci;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading config.json: malformed JSON and wrong types are refused with where; unknown fields are ignored. */
class OciJsonTest {

    private static final Path FILE = Path.of("/bundle/config.json");

    private static Spec read(String json) {
        return OciJson.read(json.getBytes(StandardCharsets.UTF_8), Spec.class, FILE);
    }

    @Test
    void malformedJsonIsRefusedWithFileLineAndColumn() {
        assertThatThrownBy(() -> read("{\n  \"ociVersion\": \"1.3.0\",\n  \"process\": {\"args\": [\"sh\",]}\n}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("/bundle/config.json: line 3, column ");
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedWithItsJsonPath() {
        assertThatThrownBy(() -> read("{\"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": 3}]}}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("/bundle/config.json: linux.namespaces[1].type (line 1, column ")
                .hasMessageEndingWith("expected a string");
    }

    @Test
    void aNumberWrittenAsAStringIsRefused() {
        assertThatThrownBy(() -> read("{\"process\": {\"user\": {\"uid\": \"0\", \"gid\": 0}}}"))
                .hasMessageContaining("process.user.uid")
                .hasMessageEndingWith("expected a whole number");
    }

    @Test
    void unknownFieldsAreIgnoredAsTheSpecSays() {
        Spec spec = read("{\"ociVersion\": \"1.3.0\", \"future\": {\"x\": 1}, \"process\": {\"args\": [\"sh\"], \"novel\": true}}");

        assertThat(spec.ociVersion()).isEqualTo("1.3.0");
        assertThat(spec.process().args()).containsExactly("sh");
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertThatThrownBy(() -> read("{\"hostname\": \"a\", \"hostname\": \"b\"}"))
                .hasMessageContaining("line 1")
                .hasMessageContaining("hostname");
    }

    @Test
    void theStateWritesEveryFieldOfTheSchemaWithItsOciStatusName() {
        String json = new State(State.OCI_VERSION, "web", Status.RUNNING, 42, "/b", Map.of("k", "v")).toJson();

        assertThat(json).contains("\"ociVersion\" : \"1.3.0\"", "\"id\" : \"web\"", "\"status\" : \"running\"",
                "\"pid\" : 42", "\"bundle\" : \"/b\"", "\"k\" : \"v\"");
    }
}
