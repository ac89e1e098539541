package io.reel.localaws.template;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Turns template values holding CloudFormation intrinsic functions into plain values, using local stand-ins. */
public final class IntrinsicResolver {
    /** What {@code !Ref} / {@code !GetAtt} on a resource and the pseudo parameters mean locally. */
    public record Context(Map<String, String> parameterOverrides,
                          Map<String, String> pseudoParameters,
                          Map<String, String> resourceRefs,
                          Map<String, Map<String, String>> resourceAttributes) {
        public Context {
            parameterOverrides = copy(parameterOverrides);
            pseudoParameters = copy(pseudoParameters);
            resourceRefs = copy(resourceRefs);
            Map<String, Map<String, String>> attributes = new HashMap<>();
            (resourceAttributes == null ? attributes : resourceAttributes).forEach((id, map) -> attributes.put(id, copy(map)));
            resourceAttributes = Map.copyOf(attributes);
        }

        private static Map<String, String> copy(Map<String, String> map) {
            return map == null ? Map.of() : Map.copyOf(map);
        }
    }

    /** What {@code !Ref AWS::NoValue} resolves to; maps and lists drop entries that resolve to it. */
    public static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "AWS::NoValue";
        }
    };

    private final CloudFormationTemplate template;
    private final Context context;
    // Per instance, so one resolver is one evaluation of the template; not meant to be shared between threads.
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> evaluating = new LinkedHashSet<>();

    public IntrinsicResolver(CloudFormationTemplate template, Context context) {
        this.template = template;
        this.context = context;
    }

    /** Resolves {@code value} fully; {@code where} names the place for errors. */
    public Object resolve(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.keySet().iterator().next() instanceof String key
                    && (key.equals("Ref") || key.equals("Condition") || key.startsWith("Fn::"))) {
                return intrinsic(key, map.get(key), where);
            }
            Map<Object, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, entry) -> {
                Object result = resolve(entry, where);
                if (result != NO_VALUE) {
                    resolved.put(key, result);
                }
            });
            return Collections.unmodifiableMap(resolved);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(element -> resolve(element, where)).filter(result -> result != NO_VALUE).toList();
        }
        return value;
    }

    /** Evaluates a named condition of the {@code Conditions} section. */
    public boolean condition(String name) {
        return condition(name, "Template " + template.source());
    }

    /** The value of a parameter: its override, else its {@code Default}. */
    public String parameter(String name) {
        return parameter(name, "Template " + template.source());
    }

    private Object intrinsic(String function, Object arg, String where) {
        return switch (function) {
            case "Ref" -> ref(name(arg, function, where), where);
            case "Condition" -> condition(name(arg, function, where), where);
            case "Fn::GetAtt" -> getAtt(arg, where);
            case "Fn::Sub" -> sub(arg, where);
            case "Fn::Join" -> join(arg, where);
            case "Fn::Select" -> select(arg, where);
            case "Fn::Split" -> split(arg, where);
            case "Fn::If" -> {
                List<?> args = args(arg, function, 3, 3, where);
                yield resolve(args.get(condition(name(args.get(0), function, where), where) ? 1 : 2), where);
            }
            case "Fn::Equals" -> {
                List<?> args = args(arg, function, 2, 2, where);
                yield String.valueOf(resolve(args.get(0), where)).equals(String.valueOf(resolve(args.get(1), where)));
            }
            case "Fn::Not" -> !bool(args(arg, function, 1, 1, where).get(0), function + " argument", where);
            case "Fn::And", "Fn::Or" -> andOr(function, arg, where);
            case "Fn::FindInMap" -> findInMap(arg, where);
            case "Fn::Base64" -> Base64.getEncoder()
                    .encodeToString(text(resolve(arg, where), function, where).getBytes(StandardCharsets.UTF_8));
            case "Fn::GetAZs" -> {
                // CloudFormation ignores the argument for the current region too; a local region has three zones.
                String region = context.pseudoParameters().get("AWS::Region");
                if (region == null) {
                    throw error(where, function + " needs the pseudo parameter AWS::Region, which is not set locally");
                }
                yield List.of(region + "a", region + "b", region + "c");
            }
            default -> throw error(where, function + " is not supported by the local platform");
        };
    }

    private Object ref(String name, String where) {
        Object value = lookup(name, where);
        if (value == null) {
            throw error(where, "Ref " + name
                    + " cannot be resolved locally (it is no parameter, known pseudo parameter or local resource)");
        }
        return value;
    }

    /** What {@code Ref name} means here, or null when the name is unknown locally. */
    private Object lookup(String name, String where) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (context.pseudoParameters().containsKey(name)) {
            return context.pseudoParameters().get(name);
        }
        Map<String, Object> parameters = template.section("Parameters");
        if (parameters.containsKey(name)) {
            String value = parameter(name, where);
            if (!isListType(parameters.get(name))) {
                return value;
            }
            return value.isBlank() ? List.of() : Stream.of(value.split(",", -1)).map(String::trim).toList();
        }
        return context.resourceRefs().get(name);
    }

    private static boolean isListType(Object declaration) {
        String type = declaration instanceof Map<?, ?> map && map.get("Type") instanceof String t ? t.trim() : "";
        return type.equals("CommaDelimitedList") || type.startsWith("List<");
    }

    private String parameter(String name, String where) {
        Map<String, Object> parameters = template.section("Parameters");
        if (!parameters.containsKey(name)) {
            throw error(where, "there is no parameter " + name + " in Parameters");
        }
        String override = context.parameterOverrides().get(name);
        if (override != null) {
            return override;
        }
        Object fallback = parameters.get(name) instanceof Map<?, ?> map ? map.get("Default") : null;
        if (fallback == null || fallback instanceof Map<?, ?> || fallback instanceof List<?>) {
            throw error(where, "parameter " + name + " has no Default (a single value) and no local override");
        }
        return String.valueOf(fallback);
    }

    private boolean condition(String name, String where) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        Map<String, Object> section = template.section("Conditions");
        if (!section.containsKey(name)) {
            throw error(where, "there is no condition " + name + " in Conditions");
        }
        if (!evaluating.add(name)) {
            throw error(where, "conditions refer to each other in a cycle: " + String.join(" -> ", evaluating) + " -> " + name);
        }
        try {
            boolean value = bool(section.get(name), "its definition", where + ", condition " + name);
            conditions.put(name, value);
            return value;
        } finally {
            evaluating.remove(name);
        }
    }

    private boolean bool(Object expression, String what, String where) {
        if (resolve(expression, where) instanceof Boolean value) {
            return value;
        }
        throw error(where, what + " is not a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition): " + describe(expression));
    }

    private boolean andOr(String function, Object arg, String where) {
        boolean and = function.equals("Fn::And");
        boolean result = and;
        // Every operand is evaluated, not short-circuited, so a broken one fails whatever the parameters are.
        for (Object operand : args(arg, function, 2, Integer.MAX_VALUE, where)) {
            boolean value = bool(operand, function + " argument", where);
            result = and ? result && value : result || value;
        }
        return result;
    }

    private String getAtt(Object arg, String where) {
        // The string form splits at the first dot, as attributes such as Endpoint.Address hold dots themselves.
        List<?> args = arg instanceof String s && s.indexOf('.') > 0
                ? List.of(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1))
                : args(arg, "Fn::GetAtt", 2, 2, where);
        String resource = text(resolve(args.get(0), where), "Fn::GetAtt", where);
        String attribute = text(resolve(args.get(1), where), "Fn::GetAtt", where);
        String value = attribute(resource, attribute);
        if (value == null) {
            throw error(where, "Fn::GetAtt " + resource + "." + attribute + " cannot be resolved locally");
        }
        return value;
    }

    private String attribute(String resource, String attribute) {
        return context.resourceAttributes().getOrDefault(resource, Map.of()).get(attribute);
    }

    private String sub(Object arg, String where) {
        Object body = arg;
        Map<String, String> variables = new HashMap<>();
        if (arg instanceof List<?>) {
            List<?> args = args(arg, "Fn::Sub", 2, 2, where);
            if (!(args.get(1) instanceof Map<?, ?> map)) {
                throw error(where, "Fn::Sub needs [template, {Name: value}], got " + describe(args.get(1)) + " as variables");
            }
            body = args.get(0);
            map.forEach((name, value) -> variables.put(String.valueOf(name), text(resolve(value, where), "Fn::Sub", where)));
        }
        if (!(body instanceof String text)) {
            throw error(where, "Fn::Sub needs a string template, got " + describe(body));
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < text.length()) {
            int start = text.indexOf("${", at);
            int end = start < 0 ? -1 : text.indexOf('}', start + 2);
            if (end < 0) {
                out.append(text, at, text.length());
                break;
            }
            out.append(text, at, start);
            String name = text.substring(start + 2, end);
            if (name.startsWith("!")) {
                out.append("${").append(name, 1, name.length()).append('}');
            } else {
                out.append(subVariable(name.trim(), variables, where));
            }
            at = end + 1;
        }
        return out.toString();
    }

    private String subVariable(String name, Map<String, String> variables, String where) {
        if (variables.containsKey(name)) {
            return variables.get(name);
        }
        int dot = name.indexOf('.');
        Object value = dot > 0 ? attribute(name.substring(0, dot), name.substring(dot + 1)) : lookup(name, where);
        if (value == null || value == NO_VALUE) {
            throw error(where, "Fn::Sub cannot resolve ${" + name + "} locally");
        }
        return text(value, "Fn::Sub variable ${" + name + "}", where);
    }

    private String join(Object arg, String where) {
        List<?> args = args(arg, "Fn::Join", 2, 2, where);
        String delimiter = text(resolve(args.get(0), where), "Fn::Join", where);
        List<?> items = list(resolve(args.get(1), where), "Fn::Join", where);
        return String.join(delimiter, items.stream().map(item -> text(item, "Fn::Join", where)).toList());
    }

    private Object select(Object arg, String where) {
        List<?> args = args(arg, "Fn::Select", 2, 2, where);
        String index = text(resolve(args.get(0), where), "Fn::Select", where);
        List<?> items = list(resolve(args.get(1), where), "Fn::Select", where);
        int position;
        try {
            position = Integer.parseInt(index.trim());
        } catch (NumberFormatException e) {
            throw error(where, "Fn::Select needs a whole-number index, got '" + index + "'");
        }
        if (position < 0 || position >= items.size()) {
            throw error(where, "Fn::Select index " + position + " is out of range for a list of " + items.size());
        }
        return items.get(position);
    }

    private List<String> split(Object arg, String where) {
        List<?> args = args(arg, "Fn::Split", 2, 2, where);
        String delimiter = text(resolve(args.get(0), where), "Fn::Split", where);
        if (delimiter.isEmpty()) {
            throw error(where, "Fn::Split needs a non-empty delimiter");
        }
        return List.of(text(resolve(args.get(1), where), "Fn::Split", where).split(Pattern.quote(delimiter), -1));
    }

    private Object findInMap(Object arg, String where) {
        List<?> args = args(arg, "Fn::FindInMap", 3, 3, where);
        List<String> keys = args.stream().map(key -> text(resolve(key, where), "Fn::FindInMap", where)).toList();
        Object value = entry(entry(entry(template.section("Mappings"), keys.get(0)), keys.get(1)), keys.get(2));
        if (value == null) {
            throw error(where, "Fn::FindInMap finds nothing at " + String.join(" / ", keys) + " in Mappings");
        }
        return resolve(value, where);
    }

    /** Looks a key up by its text, since YAML reads unquoted keys such as account ids as numbers. */
    private static Object entry(Object container, String key) {
        return container instanceof Map<?, ?> map
                ? map.entrySet().stream().filter(e -> String.valueOf(e.getKey()).equals(key))
                        .findFirst().map(Map.Entry::getValue).orElse(null)
                : null;
    }

    private static String name(Object arg, String function, String where) {
        if (arg instanceof String name && !name.isBlank()) {
            return name.trim();
        }
        throw error(where, function + " needs a name, got " + describe(arg));
    }

    private static List<?> args(Object arg, String function, int min, int max, String where) {
        if (arg instanceof List<?> list && list.size() >= min && list.size() <= max) {
            return list;
        }
        String count = min == max ? String.valueOf(min) : min + " or more";
        throw error(where, function + " needs a list of " + count + " arguments, got " + describe(arg));
    }

    private static List<?> list(Object value, String function, String where) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw error(where, function + " needs a list, got " + describe(value));
    }

    private static String text(Object value, String function, String where) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        throw error(where, function + " needs a string, got " + describe(value));
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "nothing";
            case List<?> list -> "a list of " + list.size();
            case Map<?, ?> map -> map.size() == 1 ? "{" + map.keySet().iterator().next() + ": ...}" : "a mapping";
            default -> value == NO_VALUE ? "AWS::NoValue" : "'" + value + "'";
        };
    }

    private static TemplateException error(String where, String message) {
        return new TemplateException(where + ": " + message);
    }
}
