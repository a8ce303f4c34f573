package dev.jrun.oci;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON value from Jackson's streaming parser into the Java type that declares it: a
 * record (its components by name, unknown fields skipped, missing ones null or zero), a
 * {@code List}, a {@code Map} with string keys, {@code String}, {@code Boolean}, {@code Integer},
 * {@code Long}, {@code BigInteger}, or {@code Object} for JSON kept as it is (maps, lists,
 * strings, numbers, booleans, null). Strict: a value of another JSON type, a fraction or a number
 * out of range is refused at its JSON path, such as {@code linux.namespaces[2].type}. This takes
 * the place of a databind model, whose hundreds of classes every {@code jrun} command paid for.
 */
final class JsonValueReader {

    /** Components, canonical constructor and field positions per record class, found once. */
    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return RecordShape.of(type);
        }
    };

    private final JsonParser parser;
    private final Path file;

    JsonValueReader(JsonParser parser, Path file) {
        this.parser = parser;
        this.file = file;
    }

    /** {@return the value at the parser's current token, as a {@code type}} */
    Object read(Type type, JsonPath path) throws IOException {
        Class<?> raw = raw(type);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            if (raw.isPrimitive()) {
                throw mismatch(path, raw);
            }
            return null;
        }
        if (raw == Object.class) {
            return readTree(path);
        }
        if (raw == String.class) {
            return expect(token == JsonToken.VALUE_STRING, path, raw).getText();
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return expect(token.isBoolean(), path, raw).getBooleanValue();
        }
        if (raw == Integer.class || raw == int.class) {
            return Math.toIntExact(wholeNumber(path, raw, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        if (raw == Long.class || raw == long.class) {
            return wholeNumber(path, raw, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == BigInteger.class) {
            return expect(token == JsonToken.VALUE_NUMBER_INT, path, raw).getBigIntegerValue();
        }
        if (raw == List.class) {
            return readList(argument(type, 0), path);
        }
        if (raw == Map.class) {
            return readMap(argument(type, 1), path);
        }
        if (raw.isRecord()) {
            return readRecord(SHAPES.get(raw), path);
        }
        throw new IllegalArgumentException("no JSON mapping for " + type);
    }

    private long wholeNumber(JsonPath path, Class<?> raw, long min, long max) throws IOException {
        expect(parser.currentToken() == JsonToken.VALUE_NUMBER_INT, path, raw);
        BigInteger value = parser.getBigIntegerValue();
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw problem(path, "expected a whole number from " + min + " to " + max + ", not " + value);
        }
        return value.longValue();
    }

    private List<Object> readList(Type element, JsonPath path) throws IOException {
        expect(parser.currentToken() == JsonToken.START_ARRAY, path, List.class);
        List<Object> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            list.add(read(element, path.index(list.size())));
        }
        return list;
    }

    private Map<String, Object> readMap(Type value, JsonPath path) throws IOException {
        expect(parser.currentToken() == JsonToken.START_OBJECT, path, Map.class);
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            parser.nextToken();
            map.put(name, read(value, path.field(name)));
        }
        return map;
    }

    private Object readRecord(RecordShape shape, JsonPath path) throws IOException {
        expect(parser.currentToken() == JsonToken.START_OBJECT, path, shape.type());
        Object[] values = shape.defaults();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            parser.nextToken();
            Integer position = shape.positions().get(name);
            if (position == null) {
                parser.skipChildren(); // unknown fields are ignored, as the OCI spec requires
            } else {
                values[position] = read(shape.types()[position], path.field(name));
            }
        }
        return shape.create(values);
    }

    /** JSON kept as it is: objects as ordered maps, arrays as lists, numbers as Java's. */
    private Object readTree(JsonPath path) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readMap(Object.class, path);
            case START_ARRAY -> readList(Object.class, path);
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
            default -> null;
        };
    }

    private JsonParser expect(boolean holds, JsonPath path, Class<?> type) {
        if (!holds) {
            throw mismatch(path, type);
        }
        return parser;
    }

    private InvalidConfigException mismatch(JsonPath path, Class<?> type) {
        return problem(path, "expected " + describe(type));
    }

    /** {@return a problem at {@code path}, with the line and column of the current token} */
    InvalidConfigException problem(JsonPath path, String message) {
        String where = where(parser.currentTokenLocation());
        return new InvalidConfigException(file, List.of(new ConfigProblem(
                path.isRoot() ? where : path + " (" + where + ")", message)));
    }

    static String where(JsonLocation location) {
        return location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr();
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
        if (type == List.class) {
            return "an array";
        }
        return "an object";
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    }

    /** {@return a type argument, or Object for a raw type (JSON kept as it is)} */
    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[index]
                : Object.class;
    }

    /** Where a value is in the document, built only when a problem is reported. */
    record JsonPath(JsonPath parent, String field, int index) {

        static final JsonPath ROOT = new JsonPath(null, null, -1);

        JsonPath field(String name) {
            return new JsonPath(this, name, -1);
        }

        JsonPath index(int i) {
            return new JsonPath(this, null, i);
        }

        boolean isRoot() {
            return parent == null;
        }

        @Override
        public String toString() {
            if (isRoot()) {
                return "";
            }
            String before = parent.toString();
            if (field == null) {
                return before + "[" + index + "]";
            }
            return before.isEmpty() ? field : before + "." + field;
        }
    }

    /** A record class as the reader needs it. */
    private record RecordShape(Class<?> type, Type[] types, Map<String, Integer> positions, Object[] zeros,
                               Constructor<?> constructor) {

        static RecordShape of(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            Type[] types = new Type[components.length];
            Class<?>[] raw = new Class<?>[components.length];
            Map<String, Integer> positions = new HashMap<>();
            Object[] zeros = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getGenericType();
                raw[i] = components[i].getType();
                positions.put(components[i].getName(), i);
                zeros[i] = zero(raw[i]);
            }
            try {
                return new RecordShape(type, types, positions, zeros, type.getDeclaredConstructor(raw));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
            }
        }

        /** A missing field is null, or zero for a primitive. */
        private static Object zero(Class<?> type) {
            if (type == int.class) {
                return 0;
            }
            if (type == long.class) {
                return 0L;
            }
            if (type == boolean.class) {
                return false;
            }
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("no JSON mapping for " + type);
            }
            return null;
        }

        Object[] defaults() {
            return zeros.clone();
        }

        Object create(Object[] values) {
            try {
                return constructor.newInstance(values);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                throw new IllegalStateException("create " + type.getName(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("create " + type.getName(), e);
            }
        }
    }
}
