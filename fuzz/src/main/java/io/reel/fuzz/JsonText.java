package io.reel.fuzz;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Request bodies as text: objects of a route's own shape whose fields are kept, dropped or replaced by a wrong value
 * (another JSON type, a hostile string, deep nesting, a huge value), and bodies that are not such an object at all
 * (the literal null, arrays, truncated or non-JSON text, comments, a BOM). Written by hand rather than by a JSON
 * library, so that what no library would write (a raw unpaired surrogate, a raw control character, a duplicate key)
 * is sent too.
 */
public final class JsonText {
    /** How a string's characters are written. */
    enum Escaping {
        /** Every non-ASCII unit as a {@code \\uXXXX} escape: valid JSON, surrogates as escapes. */
        ESCAPED,
        /** Non-ASCII as it is (an unpaired surrogate stays raw in the Java string). */
        RAW,
        /** Control characters raw too: not valid JSON. */
        RAW_CONTROL
    }

    /**
     * A field of a body's shape.
     *
     * @param name  the field's name
     * @param valid JSON text of values the route accepts (or nearly: near misses are welcome)
     */
    public record Field(String name, Arbitrary<String> valid) {
    }

    private JsonText() {
    }

    public static Field field(String name, Arbitrary<String> valid) {
        return new Field(name, valid);
    }

    /** A JSON string literal of {@code text}, valid JSON whatever the text holds (non-ASCII escaped). */
    public static String string(String text) {
        return string(text, Escaping.ESCAPED);
    }

    static String string(String text, Escaping escaping) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if ((c < 0x20 && escaping != Escaping.RAW_CONTROL) || (c > 0x7e && escaping == Escaping.ESCAPED)) {
                out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Strings as JSON text, valid ones mostly: {@code texts} written each of the three ways. */
    public static Arbitrary<String> strings(Arbitrary<String> texts) {
        return Combinators.combine(texts, Arbitraries.frequency(Tuple.of(6, Escaping.ESCAPED), Tuple.of(3, Escaping.RAW),
                Tuple.of(1, Escaping.RAW_CONTROL))).as(JsonText::string);
    }

    /** A value of the wrong kind for any field: other JSON types, hostile strings, deep nesting, huge values. */
    public static Arbitrary<String> wrongValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "-0", "1e309", "-1e-400", "1E2",
                        "123456789012345678901234567890", "[]", "{}", "[null]", "[\"a\"]", "{\"a\":1}", "[[]]",
                        "NaN", "Infinity", "'single'", "undefined", "\"\"", "\" \"")),
                Tuple.of(4, strings(Hostile.strings())),
                Tuple.of(1, deep()),
                Tuple.of(1, Arbitraries.integers().between(300, 5_000).map(n -> "9".repeat(n))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(6).list().ofMaxSize(5)
                        .map(items -> "[" + String.join(",", items.stream().map(JsonText::string).toList()) + "]")));
    }

    /** Nested arrays or objects, from a little to far past any parser's depth limit. */
    public static Arbitrary<String> deep() {
        return Combinators.combine(Arbitraries.of(2, 10, 100, 499, 501, 1_001, 5_000), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as((depth, arrays, closed) -> {
                    StringBuilder out = new StringBuilder(depth * 6);
                    out.append((arrays ? "[" : "{\"a\":").repeat(depth)).append("1");
                    if (closed) {
                        out.append((arrays ? "]" : "}").repeat(depth));
                    }
                    return out.toString();
                });
    }

    /**
     * An object of the route's shape: each field kept (most often), left out, or given a wrong value; sometimes an
     * unknown field, a duplicate key or a field named by a hostile string as well.
     */
    public static Arbitrary<String> objects(List<Field> fields) {
        List<Arbitrary<String>> members = new ArrayList<>();
        for (Field field : fields) {
            String name = string(field.name());
            members.add(Arbitraries.frequencyOf(
                    Tuple.of(12, field.valid().map(v -> name + ":" + v)),
                    Tuple.of(2, Arbitraries.just("")),
                    Tuple.of(3, wrongValues().map(v -> name + ":" + v))));
        }
        Arbitrary<String> extra = Arbitraries.frequencyOf(
                Tuple.of(14, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("\"admin\":true", "\"roles\":[\"admin\"]", "\"__proto__\":{}", "\"userId\":\"u-1\"")),
                Tuple.of(1, Combinators.combine(strings(Hostile.strings()), wrongValues()).as((k, v) -> k + ":" + v)),
                Tuple.of(1, fields.isEmpty() ? Arbitraries.just("") : Arbitraries.of(fields).flatMap(
                        f -> f.valid().map(v -> string(f.name()) + ":" + v)))); // a duplicate key
        Arbitrary<List<String>> all = members.isEmpty() ? Arbitraries.just(List.of()) : Combinators.combine(members).as(l -> l);
        return Combinators.combine(all, extra).as((list, more) -> {
            List<String> present = new ArrayList<>(list.stream().filter(s -> !s.isEmpty()).toList());
            if (!more.isEmpty()) {
                present.add(more);
            }
            return "{" + String.join(",", present) + "}";
        });
    }

    /** Bodies that are not an object of any shape, or not JSON at all. */
    public static Arbitrary<String> notObjects() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of("null", " null ", "", " ", "\n", "[]", "[{}]", "42", "-1", "\"text\"", "true",
                        "{", "}", "{\"", "{\"a\":", "{\"a\"}", "{} {}", "{}x", "{'a':1}", "{a:1}", "{\"a\":1,}", "/*c*/{}",
                        "{\"a\":NaN}", "\ufeff{}", "{\u0000}", "%7B%7D", "username=a&password=b", "<xml/>", "\ud800",
                        "{\"\ud800\":1}", "{\"a\":\"\ud800\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\\ud800\"}")),
                Tuple.of(2, deep()),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(1, Hostile.huge()),
                Tuple.of(1, Arbitraries.integers().between(16 * 1024 - 8, 16 * 1024 + 8).map(n -> "{\"a\":\"" + "x".repeat(n) + "\"}")));
    }

    /** An object with every field of the shape, each from its own values: the requests a route is meant to take. */
    public static Arbitrary<String> wellFormed(List<Field> fields) {
        if (fields.isEmpty()) {
            return Arbitraries.just("{}");
        }
        List<Arbitrary<String>> members = new ArrayList<>();
        for (Field field : fields) {
            members.add(field.valid().map(v -> string(field.name()) + ":" + v));
        }
        return Combinators.combine(members).as(list -> "{" + String.join(",", list) + "}");
    }

    /**
     * A body for a route of this shape: objects with every field as the route expects (so the route's work is reached,
     * not only its refusals), objects whose fields are dropped or wrong, and anything else.
     */
    public static Arbitrary<String> bodies(List<Field> fields) {
        return Arbitraries.frequencyOf(Tuple.of(3, wellFormed(fields)), Tuple.of(5, objects(fields)), Tuple.of(3, notObjects()));
    }

    /** Base64 of the body's UTF-8 bytes, as API Gateway sends a binary body. */
    public static String base64(String body) {
        return Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
    }
}
