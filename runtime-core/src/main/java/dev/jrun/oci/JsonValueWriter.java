package dev.jrun.oci;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a Java value as JSON through Jackson's streaming generator: a record as an object of its
 * components in declaration order, null ones left out; a {@code Map} as an object, a
 * {@code Collection} as an array; strings, booleans and numbers as they are; a {@link Status} by
 * its OCI name.
 */
final class JsonValueWriter {

    /** The accessors of each record class, found once. */
    private static final ClassValue<RecordComponent[]> COMPONENTS = new ClassValue<>() {
        @Override
        protected RecordComponent[] computeValue(Class<?> type) {
            return type.getRecordComponents();
        }
    };

    private JsonValueWriter() {
    }

    // An if chain, not a pattern switch: that would bootstrap an invokedynamic on every cold start.
    static void write(Object value, JsonGenerator generator) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger number) {
            generator.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            generator.writeNumber(number);
        } else if (value instanceof Status status) {
            generator.writeString(status.ociName());
        } else if (value instanceof Record record) {
            writeRecord(record, generator);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, generator);
        } else if (value instanceof Collection<?> items) {
            generator.writeStartArray();
            for (Object item : items) {
                write(item, generator);
            }
            generator.writeEndArray();
        } else {
            throw new IllegalArgumentException("no JSON mapping for " + value.getClass().getName());
        }
    }

    private static void writeMap(Map<?, ?> map, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            generator.writeFieldName(entry.getKey().toString());
            write(entry.getValue(), generator);
        }
        generator.writeEndObject();
    }

    private static void writeRecord(Record record, JsonGenerator generator) throws IOException {
        generator.writeStartObject();
        for (RecordComponent component : COMPONENTS.get(record.getClass())) {
            Object value = get(component.getAccessor(), record);
            if (value != null) {
                generator.writeFieldName(component.getName());
                write(value, generator);
            }
        }
        generator.writeEndObject();
    }

    private static Object get(Method accessor, Record record) {
        try {
            return accessor.invoke(record);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("read " + accessor, e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("read " + accessor, e);
        }
    }
}
