package io.reel.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values written and read as JSON with Jackson's streaming API alone, for log lines, Lambda events, response bodies and
 * access tokens: none of them needs {@link Json}'s data binding, whose first use costs a cold start ~400 classes and
 * ~0.1 s (docs/performance.md, "Cold starts"), and whose 1.7 MB the authorizer does not ship.
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

    /**
     * One JSON text read into plain values: objects as insertion-ordered maps, arrays as lists, text, booleans, null,
     * whole numbers as {@link Long} (or {@link java.math.BigInteger} beyond it) and other numbers as {@link Double}.
     * Strict: a repeated key, content after the value, malformed UTF-8 or nesting deeper than {@code maxDepth} is an
     * {@link IllegalArgumentException} saying what and where.
     */
    public static Object read(byte[] json, int maxDepth) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException("no JSON value");
            }
            Object value = readValue(parser, maxDepth);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("content after the JSON value at " + parser.currentLocation().getCharOffset());
            }
            return value;
        } catch (IOException e) { // JsonParseException, StreamReadException and malformed input all land here
            throw new IllegalArgumentException("not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException parse
                    ? parse.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static Object readValue(JsonParser parser, int depthLeft) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            if (depthLeft <= 0) {
                throw new IllegalArgumentException("JSON nested too deeply");
            }
            if (token == JsonToken.START_ARRAY) {
                List<Object> items = new java.util.ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, depthLeft - 1));
                }
                return items;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.put(name, readValue(parser, depthLeft - 1));
            }
            return fields;
        }
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? parser.getBigIntegerValue()
                    : (Object) parser.getLongValue();
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDoubleValue();
        }
        if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
            return token == JsonToken.VALUE_TRUE;
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new IllegalArgumentException("unexpected JSON token " + token);
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
