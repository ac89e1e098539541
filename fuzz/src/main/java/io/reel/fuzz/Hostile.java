package io.reel.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Text a stranger may send where the API expects a name, an id, a header or a token: the classic troublemakers
 * (unpaired surrogates, NUL and other control characters, bidi overrides, zero-width and look-alike letters, path
 * traversal, escapes, numbers' edge cases), random Unicode, and huge values; mixed with plain text so that the
 * parts of a request that are not under attack stay ordinary.
 */
public final class Hostile {
    /** Literal values that have broken parsers, validators and encoders elsewhere. */
    public static final List<String> LITERALS = List.of(
            "", " ", "\t", "\r\n", "\n", "\u0000", "a\u0000b", "\u0007", "\u001b[31m", "\u007f", "\u0085",
            "\ud800", "\udc00", "a\ud800b", "\udfff\ud800", "\ud83d", "\ud83d\ude00", "😀", "\u0301", "e\u0301",
            "\u202e", "abc\u202edef", "\u2066x\u2069", "\u200b", "\u200d", "\ufeff", "\ufeffx", "\ufffd", "\uffff", "\ufffe",
            "İ", "ı", "ß", "ﬀ", "ａｄｍｉｎ", "аdmin", "Admin", "ADMIN", "admin ", " admin", "ad\u00admin",
            "null", "NULL", "undefined", "true", "false", "0", "-0", "-1", "1e309", "NaN", "Infinity", "9223372036854775808",
            "0x10", "1.5", "01", "+1", "١٢٣",
            "../", "../../etc/passwd", "..%2F..%2Fetc", "%2e%2e%2f", "%2E%2E/", "..\\..\\", "/", "//", "./", ".", "..",
            "%", "%2", "%zz", "%00", "%ff", "%c0%af", "%ed%a0%80", "+", "a+b", "a b", "?x=1", "#frag", "a/b", "a;b", "a,b",
            "a=b", "\"", "'", "\\", "\\\"", "\\u0000", "\\ud800", "<script>alert(1)</script>", "' OR '1'='1", "${jndi:ldap://x/a}",
            "{{7*7}}", "%s%s%s%n", "{}", "[]", "{\"a\":1}", "reel_refresh=", "Bearer ", "Bearer", "bearer x",
            "a".repeat(64), "a".repeat(65), "a".repeat(256), "a".repeat(1025), "x".repeat(16 * 1024 + 1));

    private Hostile() {
    }

    /** Any text: mostly hostile literals and random Unicode (surrogates included), sometimes long, sometimes huge. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(LITERALS)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(2, Arbitraries.strings().alpha().numeric().withChars("-_.~ ").ofMaxLength(40)),
                Tuple.of(2, combined()),
                Tuple.of(1, huge()));
    }

    /** Plain text with a hostile literal inside it. */
    private static Arbitrary<String> combined() {
        return Arbitraries.strings().alpha().ofMaxLength(12).tuple3()
                .flatMap(parts -> Arbitraries.of(LITERALS).map(bad -> parts.get1() + bad + parts.get2()));
    }

    /** Long and huge text: a random piece repeated up to about 100,000 characters. */
    public static Arbitrary<String> huge() {
        return Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8)
                .flatMap(piece -> Arbitraries.of(100, 1_000, 5_000, 17_000, 100_000)
                        .map(length -> piece.repeat(Math.max(1, length / piece.length()))));
    }

    /** Header values: ordinary ones, hostile ones, and huge ones. */
    public static Arbitrary<String> headerValues() {
        return strings();
    }
}
