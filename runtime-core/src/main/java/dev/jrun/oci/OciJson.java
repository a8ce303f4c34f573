package dev.jrun.oci;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the OCI documents: strictly (no string for a number, no duplicate key, nothing
 * after the document), but unknown fields are ignored, as the spec requires. Errors name the file
 * and the place: line and column for malformed JSON, the JSON path for a value of the wrong type.
 *
 * <p>Only Jackson's streaming parser and generator ({@code jackson-core}) are used, mapped onto
 * the records by {@code JsonValueReader} and {@code JsonValueWriter}: no databind model is built.
 */
public final class OciJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private OciJson() {
    }

    /**
     * {@return the document in {@code json}, read as a {@code type}}
     *
     * @param file where the bytes come from, for messages
     * @throws InvalidConfigException if the JSON is malformed or a value has the wrong type
     */
    public static <T> T read(byte[] json, Class<T> type, Path file) {
        return type.cast(read(json, (Type) type, file));
    }

    /**
     * {@return the JSON object in {@code json}, kept as it is: objects as ordered maps, arrays as
     * lists, numbers as {@code Integer}, {@code Long}, {@code BigInteger} or {@code BigDecimal}}
     *
     * @param file where the bytes come from, for messages
     * @throws InvalidConfigException if the JSON is malformed or not an object
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(byte[] json, Path file) {
        return (Map<String, Object>) read(json, Map.class, file);
    }

    private static Object read(byte[] json, Type type, Path file) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            JsonValueReader reader = new JsonValueReader(parser, file);
            if (parser.nextToken() == null) {
                throw reader.problem(JsonValueReader.JsonPath.ROOT, "the file is empty, not an object");
            }
            Object value = reader.read(type, JsonValueReader.JsonPath.ROOT);
            if (value == null) {
                throw new InvalidConfigException(file, List.of(new ConfigProblem("", "the file holds null, not an object")));
            }
            if (parser.nextToken() != null) {
                throw reader.problem(JsonValueReader.JsonPath.ROOT, "more JSON after the document");
            }
            return value;
        } catch (StreamReadException e) {
            throw new InvalidConfigException(file, List.of(new ConfigProblem(JsonValueReader.where(e.getLocation()),
                    e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** {@return {@code value} as indented JSON, without null fields} */
    public static String write(Object value) {
        return write(value, true);
    }

    /** {@return {@code value} as JSON on one line, without null fields, such as an event stream prints} */
    public static String writeLine(Object value) {
        return write(value, false);
    }

    private static String write(Object value, boolean indented) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            if (indented) {
                generator.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            JsonValueWriter.write(value, generator);
        } catch (IOException e) {
            throw new UncheckedIOException("write JSON", e);
        }
        return out.toString();
    }
}
