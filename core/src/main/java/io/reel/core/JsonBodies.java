package io.reel.core;

import io.reel.core.Json.InvalidJsonException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request bodies read into records with Jackson's streaming parser alone ({@link JsonValues#read}), by the rules and
 * with the messages of {@link Json#read}: unknown fields, repeated keys, trailing content, text that is not a JSON
 * string (and numbers or booleans that are text), unpaired surrogates and missing or null primitives are refused; a
 * missing field is null. A component may be text, a boxed or primitive boolean, whole number or double, a list, another record,
 * or {@code Object} for the JSON value as it is (a rule then decides, as for an upload's {@code size}). Data binding
 * stays out of the API functions' first request (~600 classes; docs/performance.md, "Cold starts").
 */
public final class JsonBodies {
    /** Deeper bodies than this are refused; Reel's are two levels deep. */
    private static final int MAX_DEPTH = 16;
    private static final Map<Class<?>, Constructor<?>> CONSTRUCTORS = new ConcurrentHashMap<>();

    private JsonBodies() {
    }

    /**
     * Reads a body a client sent; every failure is an {@link InvalidJsonException} whose message is safe to return.
     */
    public static <T extends Record> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidJsonException("The request body is empty; a JSON object was expected.");
        }
        Object value;
        try {
            value = JsonValues.read(json.getBytes(StandardCharsets.UTF_8), MAX_DEPTH);
        } catch (IllegalArgumentException e) {
            throw new InvalidJsonException("The request body is not valid JSON.", e);
        }
        if (value == null) {
            throw new InvalidJsonException("The request body is null; a JSON object was expected.");
        }
        if (!(value instanceof Map<?, ?> object)) {
            throw new InvalidJsonException("The request body does not have the expected shape; a JSON object was expected.");
        }
        return type.cast(record(object, type, ""));
    }

    private static Object record(Map<?, ?> json, Class<?> type, String path) {
        RecordComponent[] components = type.getRecordComponents();
        for (Object name : json.keySet()) {
            boolean known = false;
            for (RecordComponent component : components) {
                known |= component.getName().equals(name);
            }
            if (!known) {
                throw new InvalidJsonException("Unknown field '" + name + "'.");
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String where = path.isEmpty() ? component.getName() : path + "." + component.getName();
            values[i] = value(json.get(component.getName()), component.getType(),
                    component.getGenericType(), where);
        }
        try {
            return constructor(type).newInstance(values);
        } catch (InvocationTargetException e) {
            // The record's own checks refused the values: data binding answers this as a body it cannot read.
            throw new InvalidJsonException("The request body is not valid JSON.", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot build " + type.getName(), e);
        }
    }

    private static Object value(Object json, Class<?> type, Type generic, String where) {
        if (type.isPrimitive() && json == null) {
            throw wrongShape(where); // missing or null: a primitive has no "absent" (FAIL_ON_NULL_FOR_PRIMITIVES)
        }
        if (json == null || type == Object.class) {
            return json;
        }
        if (type == String.class) {
            if (json instanceof String text) {
                if (!Json.isWellFormed(text)) {
                    throw new InvalidJsonException("Field '" + where + "' is not valid Unicode text: it contains an unpaired "
                            + "surrogate (an escape from \\ud800 to \\udfff without its pair).");
                }
                return text;
            }
            throw json instanceof Map<?, ?> || json instanceof List<?> ? wrongShape(where) : wrongFormat(where);
        }
        if (type == Boolean.class || type == boolean.class) {
            if (json instanceof Boolean bool) {
                return bool;
            }
            throw wrongShape(where);
        }
        if (type == Double.class || type == double.class) {
            if (json instanceof Number number && !(json instanceof BigInteger)) {
                return number.doubleValue();
            }
            throw wrongShape(where);
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            if (json instanceof Long number) {
                boolean isInt = type == Integer.class || type == int.class;
                if (isInt && (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE)) {
                    throw wrongShape(where);
                }
                return isInt ? (Object) number.intValue() : number;
            }
            throw wrongShape(where);
        }
        if (type == List.class && generic instanceof ParameterizedType list) {
            if (!(json instanceof List<?> items)) {
                throw wrongShape(where);
            }
            Type itemType = list.getActualTypeArguments()[0];
            Class<?> itemClass = itemType instanceof Class<?> c ? c : Object.class;
            List<Object> values = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                values.add(value(items.get(i), itemClass, itemType, where + ".[" + i + "]"));
            }
            return java.util.Collections.unmodifiableList(values);
        }
        if (type.isRecord()) {
            if (!(json instanceof Map<?, ?> object)) {
                throw wrongShape(where);
            }
            return record(object, type, where);
        }
        throw new IllegalArgumentException("JsonBodies cannot read a " + type.getName() + " (field " + where + ")");
    }

    private static InvalidJsonException wrongFormat(String where) {
        return new InvalidJsonException("Field '" + where + "' has a value of the wrong type or format.");
    }

    private static InvalidJsonException wrongShape(String where) {
        return new InvalidJsonException("Field '" + where + "' is missing or has the wrong type.");
    }

    private static Constructor<?> constructor(Class<?> type) {
        return CONSTRUCTORS.computeIfAbsent(type, t -> {
            Class<?>[] types = java.util.Arrays.stream(t.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                Constructor<?> canonical = t.getDeclaredConstructor(types);
                canonical.setAccessible(true);
                return canonical;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
