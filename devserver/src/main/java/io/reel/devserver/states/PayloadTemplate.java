package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * {@code Parameters}, {@code ResultSelector} and {@code ItemSelector}: a JSON template whose {@code "key.$"} fields
 * take their value from a path into the input ({@code $...}), the context object ({@code $$...}) or an intrinsic
 * function ({@code States.Format(...)}), the {@code .$} dropped from the key. Compiled with the definition so that
 * a bad path or an unsupported function is refused before any execution starts.
 */
final class PayloadTemplate {
    private final JsonNode template;
    private final Node root;

    private PayloadTemplate(JsonNode template, Node root) {
        this.template = template;
        this.root = root;
    }

    /** Compiles a template; the {@link IllegalArgumentException} message names the offending key. */
    static PayloadTemplate compile(JsonNode template) {
        return new PayloadTemplate(template, node(template));
    }

    JsonNode template() {
        return template;
    }

    JsonNode evaluate(JsonNode input, JsonNode context) {
        return root.evaluate(input, context);
    }

    private interface Node {
        JsonNode evaluate(JsonNode input, JsonNode context);
    }

    private static Node node(JsonNode template) {
        if (template.isObject()) {
            Map<String, Node> fields = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : template.properties()) {
                String key = field.getKey();
                if (key.endsWith(".$")) {
                    fields.put(key.substring(0, key.length() - 2), expression(key, field.getValue()));
                } else {
                    fields.put(key, node(field.getValue()));
                }
            }
            return (input, context) -> {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                fields.forEach((name, value) -> out.set(name, value.evaluate(input, context)));
                return out;
            };
        }
        if (template.isArray()) {
            java.util.List<Node> items = new java.util.ArrayList<>();
            template.forEach(item -> items.add(node(item)));
            return (input, context) -> {
                ArrayNode out = JsonNodeFactory.instance.arrayNode();
                items.forEach(item -> out.add(item.evaluate(input, context)));
                return out;
            };
        }
        return (input, context) -> template;
    }

    private static Node expression(String key, JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("the value of '" + key + "' must be a path or an intrinsic function "
                    + "call, as its name ends in .$");
        }
        String text = value.asText();
        try {
            Intrinsics.Expression expression = text.startsWith("States.") ? Intrinsics.parse(text)
                    : new Intrinsics.PathRead(JsonPath.compile(text), key);
            return expression::evaluate;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
        }
    }
}
