package io.reel.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values written as JSON with Jackson's streaming generator alone, for log lines, Lambda events and response bodies:
 * none of them needs {@link Json}'s data binding, whose first use costs a cold start ~400 classes and ~0.1 s
 * (docs/performance.md, "Cold starts").
 */
public final class JsonValues {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final Map<Class<?>, RecordComponent[]> COMPONENTS = new ConcurrentHashMap<>();
    /** Records left to data binding, remembered so a body of one is not inspected again on every write. */
    private static final Set<Class<?>> LEFT_TO_DATA_BINDING = ConcurrentHashMap.newKeySet();

    /** What is written, and what becomes of a type outside it. */
    private enum Mode {
        /** Maps, iterables, arrays, text, numbers, booleans, null; anything else is an IllegalArgumentException. */
        PLAIN,
        /** As PLAIN, anything else written as its {@code toString()} (a log line's context). */
        LENIENT,
        /** As {@link Json#mapper()} writes a response body: records too, enums, instants; anything else unsupported. */
        BODY
    }

    private JsonValues() {
    }

    /** The value as JSON text; anything but the plain types is written as its {@code toString()} (log context). */
    public static String toText(Object value) {
        var text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            write(json, value, Mode.LENIENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** Writes maps, iterables, arrays, text, numbers, booleans and null; any other type is an IllegalArgumentException. */
    public static void write(JsonGenerator json, Object value) throws IOException {
        write(json, value, Mode.PLAIN);
    }

    public static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * A response body as {@link Json#mapper()} would write it, for the types bodies are made of: records (components in
     * order, nulls left out), maps with text keys, collections, text, whole numbers, doubles, booleans, enums (by name)
     * and instants (ISO-8601). Empty for anything else, which {@link Json#write} then gives to the data-binding mapper.
     */
    public static Optional<String> bodyText(Object value) {
        var text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            write(json, value, Mode.BODY);
        } catch (UnsupportedType e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(text.toString());
    }

    // An if-chain, not a pattern switch: a type switch bootstraps through method handles on first use, ~0.17 s of a
    // cold start under Lambda's C1-only JIT (measured with bench/cold-start.sh).
    private static void write(JsonGenerator json, Object value, Mode mode) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double number && mode == Mode.BODY) {
            json.writeNumber(number);
        } else if (value instanceof Number number && mode != Mode.BODY) {
            json.writeNumber(number.toString());
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (mode == Mode.BODY && !(entry.getKey() instanceof String)) {
                    throw new UnsupportedType();
                }
                json.writeFieldName(String.valueOf(entry.getKey()));
                write(json, entry.getValue(), mode);
            }
            json.writeEndObject();
        } else if (value instanceof Collection<?> || (value instanceof Iterable<?> && mode != Mode.BODY)) {
            json.writeStartArray();
            for (Object item : (Iterable<?>) value) {
                write(json, item, mode);
            }
            json.writeEndArray();
        } else if (value instanceof Object[] array && mode != Mode.BODY) {
            write(json, List.of(array), mode);
        } else if (mode == Mode.BODY) {
            writeBodyOnly(json, value);
        } else if (mode == Mode.LENIENT) {
            json.writeString(value.toString());
        } else {
            throw new IllegalArgumentException("Cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeBodyOnly(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Enum<?> constant) {
            json.writeString(constant.name());
        } else if (value instanceof Instant instant) {
            json.writeString(instant.toString());
        } else if (value instanceof Record record) {
            json.writeStartObject();
            for (RecordComponent component : components(record.getClass())) {
                Object field;
                try {
                    field = component.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new UnsupportedType();
                }
                if (field != null) {
                    json.writeFieldName(component.getName());
                    write(json, field, Mode.BODY);
                }
            }
            json.writeEndObject();
        } else {
            throw new UnsupportedType();
        }
    }

    /** A record's components, or unsupported if data binding would write more (a getter) or otherwise (annotations). */
    private static RecordComponent[] components(Class<?> type) {
        if (LEFT_TO_DATA_BINDING.contains(type)) {
            throw new UnsupportedType();
        }
        try {
            return COMPONENTS.computeIfAbsent(type, JsonValues::inspect);
        } catch (UnsupportedType e) {
            LEFT_TO_DATA_BINDING.add(type);
            throw e;
        }
    }

    private static RecordComponent[] inspect(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Set<String> accessors = new HashSet<>();
        for (RecordComponent component : components) {
            component.getAccessor().setAccessible(true);
            accessors.add(component.getAccessor().getName());
        }
        for (Method method : type.getMethods()) {
            String name = method.getName();
            if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers()) && !accessors.contains(name)
                    && !name.equals("getClass")
                    && ((name.startsWith("get") && name.length() > 3) || (name.startsWith("is") && name.length() > 2))) {
                throw new UnsupportedType();
            }
        }
        List<Annotation> annotations = new java.util.ArrayList<>(List.of(type.getAnnotations()));
        for (Method method : type.getDeclaredMethods()) {
            annotations.addAll(List.of(method.getAnnotations()));
        }
        for (java.lang.reflect.Field field : type.getDeclaredFields()) {
            annotations.addAll(List.of(field.getAnnotations()));
        }
        if (annotations.stream().anyMatch(a -> a.annotationType().getName().startsWith("com.fasterxml.jackson"))) {
            throw new UnsupportedType();
        }
        return components;
    }

    private static final class UnsupportedType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedType() {
            super(null, null, false, false);
        }
    }
}
