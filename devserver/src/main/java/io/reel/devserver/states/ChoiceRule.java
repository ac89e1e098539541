package io.reel.devserver.states;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One entry of a Choice state's {@code Choices}: a condition and the state it leads to. Conditions follow the
 * Choice state page of the developer guide: a comparison of {@code Variable} against a literal or against another
 * path ({@code ...Path} operators), the {@code Is...} type tests, and {@code And}/{@code Or}/{@code Not}. A
 * comparison whose Variable matches nothing is {@code States.Runtime} (only {@code IsPresent} may test for that);
 * a comparison between different types is false.
 */
record ChoiceRule(Condition condition, String next) {

    @FunctionalInterface
    interface Condition {
        boolean test(JsonNode input);
    }

    static Condition and(List<Condition> all) {
        return input -> all.stream().allMatch(c -> c.test(input));
    }

    static Condition or(List<Condition> any) {
        return input -> any.stream().anyMatch(c -> c.test(input));
    }

    static Condition not(Condition condition) {
        return input -> !condition.test(input);
    }

    /** The operators that take a literal or, with the {@code Path} suffix, a second path. */
    static final List<String> COMPARISONS = List.of("StringEquals", "StringLessThan", "StringGreaterThan",
            "StringLessThanEquals", "StringGreaterThanEquals", "NumericEquals", "NumericLessThan",
            "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals", "BooleanEquals",
            "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals",
            "TimestampGreaterThanEquals");
    static final List<String> TYPE_TESTS = List.of("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean",
            "IsTimestamp");

    /**
     * A comparison. {@code operator} is one of {@link #COMPARISONS}, {@link #TYPE_TESTS} or {@code StringMatches};
     * {@code otherPath} is set for the {@code ...Path} forms.
     */
    static Condition compare(JsonPath variable, String operator, JsonNode literal, JsonPath otherPath) {
        return input -> {
            Optional<JsonNode> found = variable.read(input);
            if (operator.equals("IsPresent")) {
                return found.isPresent() == literal.asBoolean();
            }
            JsonNode value = found.orElseThrow(() -> StatesError.runtime("Invalid path '" + variable
                    + "': The choice state's condition path references an invalid value."));
            if (TYPE_TESTS.contains(operator)) {
                return typeTest(operator, value) == literal.asBoolean();
            }
            JsonNode other = literal;
            if (otherPath != null) {
                other = otherPath.read(input).orElseThrow(() -> StatesError.runtime("Invalid path '" + otherPath
                        + "': The choice state's condition path references an invalid value."));
            }
            return operator.equals("StringMatches") ? value.isTextual() && matches(value.asText(), other.asText())
                    : compare(operator, value, other);
        };
    }

    private static boolean typeTest(String operator, JsonNode value) {
        return switch (operator) {
            case "IsNull" -> value.isNull();
            case "IsNumeric" -> value.isNumber();
            case "IsString" -> value.isTextual();
            case "IsBoolean" -> value.isBoolean();
            case "IsTimestamp" -> timestamp(value).isPresent();
            default -> throw new IllegalStateException(operator);
        };
    }

    private static boolean compare(String operator, JsonNode value, JsonNode other) {
        Integer order;
        if (operator.startsWith("String")) {
            order = value.isTextual() && other.isTextual() ? Integer.valueOf(value.asText().compareTo(other.asText())) : null;
        } else if (operator.startsWith("Numeric")) {
            order = value.isNumber() && other.isNumber() ? Integer.valueOf(value.decimalValue().compareTo(other.decimalValue())) : null;
        } else if (operator.startsWith("Boolean")) {
            order = value.isBoolean() && other.isBoolean() ? Integer.valueOf(Boolean.compare(value.asBoolean(), other.asBoolean())) : null;
        } else {
            Optional<OffsetDateTime> a = timestamp(value);
            Optional<OffsetDateTime> b = timestamp(other);
            order = a.isPresent() && b.isPresent() ? Integer.valueOf(a.get().toInstant().compareTo(b.get().toInstant())) : null;
        }
        if (order == null) {
            return false;
        }
        String relation = operator.replaceFirst("^(String|Numeric|Boolean|Timestamp)", "");
        Predicate<Integer> holds = switch (relation) {
            case "Equals" -> o -> o == 0;
            case "LessThan" -> o -> o < 0;
            case "GreaterThan" -> o -> o > 0;
            case "LessThanEquals" -> o -> o <= 0;
            case "GreaterThanEquals" -> o -> o >= 0;
            default -> throw new IllegalStateException(operator);
        };
        return holds.test(order);
    }

    private static Optional<OffsetDateTime> timestamp(JsonNode value) {
        if (!value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** StringMatches: {@code *} matches any run of characters, {@code \*} a literal asterisk. */
    static boolean matches(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return value.matches(regex.toString());
    }
}
