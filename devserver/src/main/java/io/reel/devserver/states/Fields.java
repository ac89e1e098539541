package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Reads one JSON object of a definition and remembers which fields were read, so that whatever is left over is
 * refused by name instead of silently ignored. {@code owner} starts every sentence: "State 'Encode'".
 */
final class Fields {
    private final ObjectNode node;
    private final String owner;
    private final Set<String> read = new HashSet<>();

    Fields(JsonNode node, String owner) {
        if (node == null || !node.isObject()) {
            throw new InvalidDefinitionException(owner + " must be a JSON object.");
        }
        this.node = (ObjectNode) node;
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    boolean has(String field) {
        return node.has(field);
    }

    /** The field's value, or {@code null} when absent. */
    JsonNode get(String field) {
        read.add(field);
        return node.get(field);
    }

    String text(String field, boolean required) {
        JsonNode value = get(field);
        if (value == null) {
            if (required) {
                throw invalid(field, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw invalid(field, "must be a string");
        }
        return value.asText();
    }

    Integer integer(String field, int min) {
        JsonNode value = get(field);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || value.asLong() < min || value.asLong() > 99_999_999) {
            throw invalid(field, "must be an integer from " + min + " to 99999999");
        }
        return value.asInt();
    }

    /** Refuses a field AWS has but this interpreter does not implement, saying what it is. */
    void unsupported(String field, String what) {
        if (node.has(field)) {
            throw new InvalidDefinitionException(owner + ": field '" + field + "' (" + what
                    + ") is not supported locally.");
        }
    }

    InvalidDefinitionException invalid(String field, String problem) {
        return new InvalidDefinitionException(owner + ": field '" + field + "' " + problem + ".");
    }

    /** Refuses every field not read; {@code kind} completes "is not a field of ...". */
    void done(String kind) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new InvalidDefinitionException(owner + ": field '" + name + "' is not a field of " + kind
                        + " (or not one this interpreter knows).");
            }
        }
    }
}
