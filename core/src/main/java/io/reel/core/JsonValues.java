package io.reel.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Plain values (maps, lists, text, numbers, booleans, null) written as JSON with Jackson's streaming generator alone:
 * for log lines and Lambda events, which need none of {@link Json}'s data binding, whose first use costs a cold start
 * ~0.1-0.2 s (docs/performance.md, "Cold starts").
 */
public final class JsonValues {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonValues() {
    }

    public static JsonFactory factory() {
        return FACTORY;
    }

    /** The value as JSON text; anything but the plain types is written as its {@code toString()} (log context). */
    public static String toText(Object value) {
        var text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            write(json, value, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * A response body as {@link Json#mapper()} would write it, for the types bodies are made of: records (components in
     * order, nulls left out), maps, lists, text, numbers, booleans, enums (by name) and instants (ISO-8601). Empty for
     * anything else, which {@link Json#write} then gives to the data-binding mapper. A function's first answer then
     * needs none of data binding's ~400 classes (~0.1 s of a cold start here).
     */
    public static java.util.Optional<String> bodyText(Object value) {
        var text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            writeBody(json, value);
        } catch (UnsupportedType e) {
            return java.util.Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Optional.of(text.toString());
    }

    private static final class UnsupportedType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedType() {
            super(null, null, false, false);
        }
    }

    private static final java.util.Map<Class<?>, java.lang.reflect.RecordComponent[]> COMPONENTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static void writeBody(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number) {
            json.writeNumber(number);
        } else if (value instanceof Enum<?> constant) {
            json.writeString(constant.name());
        } else if (value instanceof java.time.Instant instant) {
            json.writeString(instant.toString());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new UnsupportedType();
                }
                json.writeFieldName(key);
                writeBody(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof java.util.Collection<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeBody(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof Record record) {
            json.writeStartObject();
            for (java.lang.reflect.RecordComponent component : components(record.getClass())) {
                Object field;
                try {
                    field = component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new UnsupportedType();
                }
                if (field != null) {
                    json.writeFieldName(component.getName());
                    writeBody(json, field);
                }
            }
            json.writeEndObject();
        } else {
            throw new UnsupportedType();
        }
    }

    /** A record's components, or unsupported if it has a getter besides them (data binding would write that too). */
    private static java.lang.reflect.RecordComponent[] components(Class<?> type) {
        return COMPONENTS.computeIfAbsent(type, t -> {
            java.lang.reflect.RecordComponent[] components = t.getRecordComponents();
            java.util.Set<String> accessors = new java.util.HashSet<>();
            for (java.lang.reflect.RecordComponent component : components) {
                component.getAccessor().setAccessible(true);
                accessors.add(component.getAccessor().getName());
            }
            for (java.lang.reflect.Method method : t.getMethods()) {
                String name = method.getName();
                if (method.getParameterCount() == 0 && !java.lang.reflect.Modifier.isStatic(method.getModifiers())
                        && !accessors.contains(name) && !name.equals("getClass")
                        && ((name.startsWith("get") && name.length() > 3) || (name.startsWith("is") && name.length() > 2))) {
                    throw new UnsupportedType();
                }
            }
            for (java.lang.reflect.Method method : t.getDeclaredMethods()) {
                for (java.lang.annotation.Annotation annotation : method.getAnnotations()) {
                    if (annotation.annotationType().getName().startsWith("com.fasterxml.jackson")) {
                        throw new UnsupportedType();
                    }
                }
            }
            return components;
        });
    }

    /**
     * Writes {@code value}; with {@code lenient} false any other type is refused with an IllegalArgumentException.
     * An if-chain, not a pattern switch: a type switch bootstraps through method handles on first use, ~0.17 s of a
     * cold start under Lambda's C1-only JIT (measured with bench/cold-start.sh).
     */
    public static void write(JsonGenerator json, Object value, boolean lenient) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer number) {
            json.writeNumber(number);
        } else if (value instanceof Long number) {
            json.writeNumber(number);
        } else if (value instanceof Number number) {
            json.writeNumber(number.toString());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue(), lenient);
            }
            json.writeEndObject();
        } else if (value instanceof Iterable<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                write(json, item, lenient);
            }
            json.writeEndArray();
        } else if (value instanceof Object[] array) {
            write(json, List.of(array), lenient);
        } else if (lenient) {
            json.writeString(value.toString());
        } else {
            throw new IllegalArgumentException("Cannot write a " + value.getClass().getName() + " as JSON");
        }
    }
}
