package io.reel.devserver.states;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.reel.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The intrinsic functions Reel's definitions use: {@code States.Format}, {@code States.StringToJson},
 * {@code States.JsonToString}, {@code States.Array}, {@code States.ArrayLength} and {@code States.MathAdd}.
 * Calls are parsed with the definition, so a function outside this list is refused by name before anything runs;
 * a call that fails at run time is {@code States.IntrinsicFailure}.
 */
final class Intrinsics {
    static final Set<String> SUPPORTED = Set.of("States.Format", "States.StringToJson", "States.JsonToString",
            "States.Array", "States.ArrayLength", "States.MathAdd");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Intrinsics() {
    }

    /** Parses {@code States.Name(arg, ...)}; the {@link IllegalArgumentException} message says what is wrong. */
    static Expression parse(String text) {
        Parser parser = new Parser(text);
        Expression call = parser.call();
        parser.skipSpaces();
        if (parser.pos != text.length()) {
            throw new IllegalArgumentException("unexpected text after the intrinsic function call in '" + text + "'");
        }
        return call;
    }

    /** A value computed from the effective input and the context object. */
    @FunctionalInterface
    interface Expression {
        JsonNode evaluate(JsonNode input, JsonNode context);
    }

    record Literal(JsonNode value) implements Expression {
        @Override
        public JsonNode evaluate(JsonNode input, JsonNode context) {
            return value;
        }
    }

    /** A path argument or a {@code "key.$"} value; matching nothing is {@code States.Runtime}, as in AWS. */
    record PathRead(JsonPath path, String field) implements Expression {
        @Override
        public JsonNode evaluate(JsonNode input, JsonNode context) {
            JsonNode root = path.context() ? context : input;
            return path.read(root).orElseThrow(() -> StatesError.runtime("The JSONPath '" + path + "' specified for "
                    + "the field '" + field + "' could not be found in the " + (path.context() ? "context object" : "input")
                    + " '" + root + "'"));
        }
    }

    record Call(String name, List<Expression> args) implements Expression {
        @Override
        public JsonNode evaluate(JsonNode input, JsonNode context) {
            List<JsonNode> values = args.stream().map(a -> a.evaluate(input, context)).toList();
            return switch (name) {
                case "States.Format" -> format(values);
                case "States.StringToJson" -> stringToJson(one(values));
                case "States.JsonToString" -> NODES.textNode(one(values).toString());
                case "States.Array" -> NODES.arrayNode().addAll(values);
                case "States.ArrayLength" -> arrayLength(one(values));
                case "States.MathAdd" -> mathAdd(values);
                default -> throw new IllegalStateException(name);
            };
        }

        private JsonNode one(List<JsonNode> values) {
            if (values.size() != 1) {
                throw failure(name + " takes 1 argument, not " + values.size());
            }
            return values.get(0);
        }

        private JsonNode format(List<JsonNode> values) {
            if (values.isEmpty() || !values.get(0).isTextual()) {
                throw failure("States.Format needs a template string as its first argument");
            }
            String template = values.get(0).asText();
            StringBuilder out = new StringBuilder();
            int next = 1;
            for (int i = 0; i < template.length(); i++) {
                if (template.charAt(i) == '\\' && i + 1 < template.length()) {
                    out.append(template.charAt(++i));
                } else if (template.startsWith("{}", i)) {
                    if (next >= values.size()) {
                        throw failure("States.Format's template has more {} than arguments");
                    }
                    JsonNode value = values.get(next++);
                    if (value.isContainerNode()) {
                        throw failure("States.Format arguments must be strings, numbers, booleans or null");
                    }
                    out.append(value.isTextual() ? value.asText() : value.toString());
                    i++;
                } else {
                    out.append(template.charAt(i));
                }
            }
            if (next != values.size()) {
                throw failure("States.Format got " + (values.size() - 1) + " arguments for " + (next - 1) + " {}");
            }
            return NODES.textNode(out.toString());
        }

        private JsonNode stringToJson(JsonNode value) {
            if (!value.isTextual()) {
                throw failure("States.StringToJson takes a string");
            }
            try {
                return Json.mapper().readTree(value.asText());
            } catch (JsonProcessingException e) {
                throw failure("States.StringToJson: '" + value.asText() + "' is not JSON");
            }
        }

        private JsonNode arrayLength(JsonNode value) {
            if (!value.isArray()) {
                throw failure("States.ArrayLength takes an array");
            }
            return NODES.numberNode(value.size());
        }

        private JsonNode mathAdd(List<JsonNode> values) {
            if (values.size() != 2 || !values.get(0).canConvertToExactIntegral()
                    || !values.get(1).canConvertToExactIntegral()) {
                throw failure("States.MathAdd takes two integers");
            }
            long sum = values.get(0).asLong() + values.get(1).asLong();
            // an int node when it fits, as Jackson reads the same number from JSON
            return sum == (int) sum ? NODES.numberNode((int) sum) : NODES.numberNode(sum);
        }

        private StatesError failure(String cause) {
            return new StatesError(StatesError.INTRINSIC_FAILURE, cause);
        }
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Expression call() {
            skipSpaces();
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
                pos++;
            }
            String name = text.substring(start, pos);
            if (!name.startsWith("States.")) {
                throw new IllegalArgumentException("'" + text + "' is not an intrinsic function call");
            }
            if (!SUPPORTED.contains(name)) {
                throw new IllegalArgumentException("intrinsic function " + name + " is not supported locally "
                        + "(supported: " + String.join(", ", SUPPORTED.stream().sorted().toList()) + ")");
            }
            expect('(');
            List<Expression> args = new ArrayList<>();
            skipSpaces();
            if (peek() != ')') {
                args.add(argument());
                skipSpaces();
                while (peek() == ',') {
                    pos++;
                    args.add(argument());
                    skipSpaces();
                }
            }
            expect(')');
            return new Call(name, List.copyOf(args));
        }

        private Expression argument() {
            skipSpaces();
            char c = peek();
            if (c == '\'') {
                return new Literal(NODES.textNode(string()));
            }
            if (c == '$') {
                int start = pos;
                while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')'
                        && text.charAt(pos) != ' ') {
                    pos++;
                }
                String path = text.substring(start, pos);
                return new PathRead(JsonPath.compile(path), path);
            }
            if (text.startsWith("States.", pos)) {
                return call();
            }
            int start = pos;
            while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')'
                    && text.charAt(pos) != ' ') {
                pos++;
            }
            String token = text.substring(start, pos);
            try {
                JsonNode literal = Json.mapper().readTree(token);
                if (literal == null || literal.isContainerNode() || literal.isMissingNode()) {
                    throw new IllegalArgumentException("bad argument '" + token + "' in '" + text + "'");
                }
                return new Literal(literal);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("bad argument '" + token + "' in '" + text + "'");
            }
        }

        private String string() {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < text.length() && text.charAt(pos) != '\'') {
                char c = text.charAt(pos);
                if (c == '\\' && pos + 1 < text.length()) {
                    char escaped = text.charAt(++pos);
                    // \{ and \} stay escaped until States.Format sees them as literal braces
                    if (escaped == '{' || escaped == '}') {
                        out.append('\\');
                    }
                    out.append(escaped);
                } else {
                    out.append(c);
                }
                pos++;
            }
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unterminated string in '" + text + "'");
            }
            pos++;
            return out.toString();
        }

        private void expect(char c) {
            skipSpaces();
            if (peek() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + pos + " of '" + text + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        void skipSpaces() {
            while (pos < text.length() && text.charAt(pos) == ' ') {
                pos++;
            }
        }
    }
}
