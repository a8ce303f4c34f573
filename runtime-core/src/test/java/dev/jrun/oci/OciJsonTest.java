package dev.jrun.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void aProblemInANestedArrayIsReportedAtItsIndices() {
        assertThatThrownBy(() -> read("{\"linux\": {\"seccomp\": {\"syscalls\": [{\"names\": [\"read\"]},"
                + " {\"names\": [\"write\", 7]}]}}}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("linux.seccomp.syscalls[1].names[1] (line 1, column ")
                .hasMessageEndingWith("expected a string");
    }

    @Test
    void aProblemInAMapIsReportedAtItsKey() {
        assertThatThrownBy(() -> read("{\"annotations\": {\"a\": \"b\", \"org.x\": 1}}"))
                .hasMessageContaining("annotations.org.x (line 1, column ")
                .hasMessageEndingWith("expected a string");
        assertThatThrownBy(() -> read("{\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": true}}}"))
                .hasMessageContaining("linux.sysctl.net.ipv4.ip_forward (")
                .hasMessageEndingWith("expected a string");
        assertThatThrownBy(() -> read("{\"linux\": {\"resources\": {\"unified\": []}}}"))
                .hasMessageContaining("linux.resources.unified (")
                .hasMessageEndingWith("expected an object");
    }

    @Test
    void mapsKeepTheirEntriesInOrder() {
        Spec spec = read("{\"annotations\": {\"z\": \"1\", \"a\": \"2\"},"
                + " \"linux\": {\"resources\": {\"unified\": {\"memory.high\": \"4096\"}}}}");

        assertThat(spec.annotations()).containsExactly(Map.entry("z", "1"), Map.entry("a", "2"));
        assertThat(spec.linux().resources().unified()).containsExactly(Map.entry("memory.high", "4096"));
    }

    @Test
    void aWholeNumberRefusesAFractionABooleanAndAValueOutOfRange() {
        assertThatThrownBy(() -> read("{\"process\": {\"oomScoreAdj\": 1.5}}"))
                .hasMessageContaining("process.oomScoreAdj (")
                .hasMessageEndingWith("expected a whole number");
        assertThatThrownBy(() -> read("{\"process\": {\"user\": {\"uid\": true}}}"))
                .hasMessageContaining("process.user.uid (")
                .hasMessageEndingWith("expected a whole number");
        assertThatThrownBy(() -> read("{\"process\": {\"user\": {\"umask\": 4294967296}}}"))
                .hasMessageContaining("process.user.umask (")
                .hasMessageEndingWith("expected a whole number from -2147483648 to 2147483647, not 4294967296");
    }

    @Test
    void unsignedSixtyFourBitValuesAreReadWhole() {
        Spec spec = read("{\"process\": {\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\","
                + " \"soft\": 18446744073709551615, \"hard\": 1024}]}}");

        assertThat(spec.process().rlimits().getFirst().soft()).isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void aStringRefusesANumberAndABooleanRefusesAString() {
        assertThatThrownBy(() -> read("{\"hostname\": 42}")).hasMessageContaining("hostname (line 1, column ")
                .hasMessageEndingWith("expected a string");
        assertThatThrownBy(() -> read("{\"root\": {\"readonly\": \"true\"}}")).hasMessageContaining("root.readonly (")
                .hasMessageEndingWith("expected true or false");
        assertThatThrownBy(() -> read("{\"mounts\": {}}")).hasMessageContaining("mounts (")
                .hasMessageEndingWith("expected an array");
        assertThatThrownBy(() -> read("{\"process\": []}")).hasMessageContaining("process (")
                .hasMessageEndingWith("expected an object");
    }

    @Test
    void nullIsAbsentForAnObjectButRefusedForAPrimitive() {
        assertThat(read("{\"process\": null, \"hostname\": null}").process()).isNull();
        assertThatThrownBy(() -> OciJson.read("{\"id\": \"c\", \"pid\": null}".getBytes(StandardCharsets.UTF_8),
                ContainerRecord.class, FILE))
                .hasMessageContaining("pid (line 1, column ")
                .hasMessageEndingWith("expected a whole number");
    }

    @Test
    void aDuplicateKeyInAnIgnoredFieldIsRefusedToo() {
        assertThatThrownBy(() -> read("{\"future\": {\"x\": 1, \"x\": 2}}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("Duplicate field 'x'");
    }

    @Test
    void anythingAfterTheDocumentIsRefused() {
        assertThatThrownBy(() -> read("{\"hostname\": \"a\"}\n{}"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("/bundle/config.json: line 2, column 1: more JSON after the document");
        assertThatThrownBy(() -> read("{} 3")).hasMessageEndingWith("more JSON after the document");
    }

    @Test
    void anEmptyFileAndNullAreRefused() {
        assertThatThrownBy(() -> read("  ")).hasMessageEndingWith("the file is empty, not an object");
        assertThatThrownBy(() -> read("null")).hasMessage("/bundle/config.json: the file holds null, not an object");
    }

    @Test
    void fieldsJrunDoesNotMapAreKeptAsTheirJson() {
        Spec spec = read("{\"linux\": {\"intelRdt\": {\"closID\": \"x\", \"l3\": 1, \"big\": 18446744073709551616, \"f\": 0.5}}}");

        assertThat(spec.linux().intelRdt()).isEqualTo(Map.of("closID", "x", "l3", 1,
                "big", new BigInteger("18446744073709551616"), "f", new java.math.BigDecimal("0.5")));
    }

    @Test
    void aWrittenDocumentReadsBackEqual() {
        Spec spec = DefaultSpec.create();

        assertThat(OciJson.read(OciJson.write(spec).getBytes(StandardCharsets.UTF_8), Spec.class, FILE))
                .isEqualTo(spec);
    }

    @Test
    void writingIndentsObjectsLeavesNullFieldsOutAndKeepsArraysOnOneLine() {
        String json = OciJson.write(new Spec.Hook("/bin/hook", List.of("hook", "x"), List.of(), null));

        assertThat(json).isEqualTo("{\n  \"path\" : \"/bin/hook\",\n  \"args\" : [ \"hook\", \"x\" ],\n"
                + "  \"env\" : [ ]\n}");
    }

    @Test
    void aLineOfJsonIsCompact() {
        assertThat(OciJson.writeLine(Map.of("type", "oom"))).isEqualTo("{\"type\":\"oom\"}");
    }

    /** Engines and scripts read what jrun prints: it is what the databind model wrote before, byte for byte. */
    @Test
    void thePrintedDocumentsAreWhatJacksonDatabindWrites() throws Exception {
        ObjectMapper databind = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
                .serializationInclusion(JsonInclude.Include.NON_NULL).build();

        assertThat(OciJson.write(Features.current())).isEqualTo(databind.writeValueAsString(Features.current()));
        assertThat(DefaultSpec.json()).isEqualTo(databind.writeValueAsString(DefaultSpec.create()));
    }
}
