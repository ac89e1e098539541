package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSONPath subset the interpreter reads and writes: {@code $}, {@code .name}, {@code ['name']} and
 * {@code [index]}, which is all a reference path may use and all Reel's definitions need. Anything else (wildcards,
 * {@code ..}, filters, slices) is refused when the definition is parsed rather than evaluated differently from AWS.
 * A path that starts with {@code $$} reads the context object.
 */
record JsonPath(String text, boolean context, List<Object> steps) {

    /** Compiles a path; the {@link IllegalArgumentException} message says what is wrong with it. */
    static JsonPath compile(String text) {
        boolean context = text.startsWith("$$");
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' is not a path (a path starts with $)");
        }
        List<Object> steps = new ArrayList<>();
        int i = context ? 2 : 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[') {
                    i++;
                }
                String name = text.substring(start, i);
                if (name.isEmpty() || name.equals("*")) {
                    throw unsupported(text);
                }
                steps.add(name);
            } else if (c == '[' && i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                int end = text.indexOf("']", i + 2);
                if (end < 0) {
                    throw unsupported(text);
                }
                steps.add(text.substring(i + 2, end));
                i = end + 2;
            } else if (c == '[') {
                int end = text.indexOf(']', i);
                String index = end < 0 ? "" : text.substring(i + 1, end);
                if (!index.matches("[0-9]+")) {
                    throw unsupported(text);
                }
                steps.add(Integer.parseInt(index));
                i = end + 1;
            } else {
                throw unsupported(text);
            }
        }
        return new JsonPath(text, context, List.copyOf(steps));
    }

    private static IllegalArgumentException unsupported(String text) {
        return new IllegalArgumentException("the path '" + text + "' is outside the supported JSONPath subset "
                + "($, .name, ['name'], [index])");
    }

    /** The node the path selects, or empty when it matches nothing (a missing field, an index past the end). */
    Optional<JsonNode> read(JsonNode root) {
        JsonNode node = root;
        for (Object step : steps) {
            if (step instanceof String name) {
                node = node != null && node.isObject() ? node.get(name) : null;
            } else {
                int index = (Integer) step;
                node = node != null && node.isArray() && index < node.size() ? node.get(index) : null;
            }
            if (node == null) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(node);
    }

    /** Whether the path names only object fields, as a ResultPath this interpreter can write must. */
    boolean fieldsOnly() {
        return !context && steps.stream().allMatch(String.class::isInstance);
    }

    /**
     * ResultPath: a copy of {@code input} with {@code value} placed at the path, creating the objects on the way
     * ("the ResultPath can ... add new fields to the input"); {@code $} replaces the input with the value.
     */
    JsonNode write(JsonNode input, JsonNode value) {
        if (steps.isEmpty()) {
            return value;
        }
        if (!input.isObject()) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath " + text
                    + " to input " + input + ": the input is not a JSON object.");
        }
        ObjectNode root = (ObjectNode) input.deepCopy();
        ObjectNode node = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            String name = (String) steps.get(i);
            JsonNode child = node.get(name);
            if (child == null) {
                node = node.putObject(name);
            } else if (child.isObject()) {
                node = (ObjectNode) child;
            } else {
                throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath " + text
                        + " to input " + input + ": field '" + name + "' is not a JSON object.");
            }
        }
        node.set((String) steps.get(steps.size() - 1), value);
        return root;
    }

    @Override
    public String toString() {
        return text;
    }
}
