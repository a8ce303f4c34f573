package dev.jrun.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes the OCI documents: strictly (no string for a number, no duplicate key, nothing
 * after the document), but unknown fields are ignored, as the spec requires. Errors name the file
 * and the place: line and column for malformed JSON, the JSON path for a value of the wrong type.
 */
public final class OciJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .withCoercionConfig(LogicalType.Textual, textual -> textual
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
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
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidConfigException(file, List.of(new ConfigProblem("", "the file holds null, not an object")));
            }
            return value;
        } catch (MismatchedInputException e) {
            throw new InvalidConfigException(file, List.of(new ConfigProblem(path(e), mismatch(e))));
        } catch (JacksonException e) {
            throw new InvalidConfigException(file, List.of(new ConfigProblem(where(e.getLocation()), e.getOriginalMessage())));
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    /** {@return {@code value} as indented JSON, without null fields} */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException("write JSON", e);
        }
    }

    /** {@return the JSON path of a mapping error, such as {@code linux.namespaces[2].type}} */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? where(e.getLocation()) : path + " (" + where(e.getLocation()) + ")";
    }

    private static String mismatch(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        return target == null ? e.getOriginalMessage() : "expected " + describe(target);
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a whole number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String where(JsonLocation location) {
        return location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
