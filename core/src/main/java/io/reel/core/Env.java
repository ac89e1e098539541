package io.reel.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed, fail-fast reads of configuration. A handler reads everything it needs once, at construction,
 * so a missing or malformed variable stops the function at start with a message naming the variable,
 * instead of failing on some later request.
 */
public final class Env {
    private final Map<String, String> values;

    private Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment: what Lambda gives a function. */
    public static Env system() {
        return new Env(System.getenv());
    }

    /** An explicit environment: what the devserver resolves from {@code template.yaml}, and what tests pass. */
    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    /** This environment with {@code overrides} laid on top. */
    public Env with(Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(overrides);
        return new Env(merged);
    }

    /** Every variable, for handing on to a child process or a handler. */
    public Map<String, String> asMap() {
        return values;
    }

    /** The value of a variable, if set to something other than blanks. */
    public Optional<String> optional(String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    /** A required string. */
    public String string(String name) {
        return optional(name).orElseThrow(() -> missing(name, "a value"));
    }

    public String string(String name, String defaultValue) {
        return optional(name).orElse(defaultValue);
    }

    public int integer(String name) {
        return parse(name, string(name), Integer::parseInt, "a whole number such as 30");
    }

    public int integer(String name, int defaultValue) {
        return optional(name).map(v -> parse(name, v, Integer::parseInt, "a whole number such as 30"))
                .orElse(defaultValue);
    }

    public long longValue(String name, long defaultValue) {
        return optional(name).map(v -> parse(name, v, Long::parseLong, "a whole number such as 5368709120"))
                .orElse(defaultValue);
    }

    public boolean bool(String name, boolean defaultValue) {
        return optional(name).map(v -> parse(name, v, Env::parseBoolean, "true or false")).orElse(defaultValue);
    }

    /** A duration written as ISO-8601 ({@code PT15M}) or as a number with a unit: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 30d}. */
    public Duration duration(String name) {
        return parse(name, string(name), Env::parseDuration, "a duration such as 30s, 15m, 2h or PT15M");
    }

    public Duration duration(String name, Duration defaultValue) {
        return optional(name).map(v -> parse(name, v, Env::parseDuration, "a duration such as 30s, 15m, 2h or PT15M"))
                .orElse(defaultValue);
    }

    /** An absolute http(s) URI, such as an endpoint override. */
    public Optional<URI> uri(String name) {
        return optional(name).map(v -> parse(name, v, Env::parseHttpUri, "an absolute http:// or https:// URL"));
    }

    private static <T> T parse(String name, String raw, Function<String, T> parser, String expected) {
        try {
            return parser.apply(raw.strip());
        } catch (RuntimeException e) {
            throw new ConfigurationException(
                    "Environment variable " + name + " is malformed: got " + shown(name, raw) + ", expected " + expected + ".", e);
        }
    }

    private static ConfigurationException missing(String name, String what) {
        return new ConfigurationException(
                "Environment variable " + name + " is missing or empty: set it to " + what + ".");
    }

    private static boolean parseBoolean(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    static Duration parseDuration(String raw) {
        if (raw.startsWith("P") || raw.startsWith("p")) {
            try {
                return requireNonNegative(Duration.parse(raw));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        }
        int split = 0;
        while (split < raw.length() && Character.isDigit(raw.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("no number");
        }
        long amount = Long.parseLong(raw.substring(0, split));
        return switch (raw.substring(split).strip().toLowerCase(Locale.ROOT)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }

    private static Duration requireNonNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("negative");
        }
        return duration;
    }

    private static URI parseHttpUri(String raw) {
        try {
            URI uri = new URI(raw);
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an absolute http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The value as an error message may show it: never a secret, never control characters. */
    private static String shown(String name, String raw) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (upper.contains("SECRET") || upper.contains("PASSWORD") || upper.contains("TOKEN") || upper.endsWith("_KEY")) {
            return "a value (not shown: it may be secret)";
        }
        return "'" + printable(raw) + "'";
    }

    private static String printable(String raw) {
        String cut = raw.length() > 80 ? raw.substring(0, 80) + "…" : raw;
        return cut.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
