package io.reel.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The answer every API refusal must be: {@code application/problem+json} (RFC 9457) whose {@code detail} is a sentence
 * a person can read, never a bare code, never empty, never a stack trace or an exception's class name.
 */
public final class Problems {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /** What is wrong with a 4xx answer, or empty when it is a proper problem. */
    public static Optional<String> problemWith(int status, Map<String, String> headers, String body) {
        String contentType = header(headers, "Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/problem+json")) {
            return Optional.of("a " + status + " with Content-Type " + contentType + ", not application/problem+json");
        }
        JsonNode problem;
        try {
            problem = body == null ? null : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return Optional.of("a " + status + " whose body is not JSON: " + abbreviate(body));
        }
        if (problem == null || !problem.isObject()) {
            return Optional.of("a " + status + " whose body is not a JSON object: " + abbreviate(body));
        }
        if (problem.has("status") && problem.path("status").asInt() != status) {
            return Optional.of("a " + status + " whose problem says status " + problem.path("status"));
        }
        JsonNode detail = problem.path("detail");
        if (!detail.isTextual()) {
            return Optional.of("a " + status + " without a detail: " + abbreviate(body));
        }
        return sentenceProblem(detail.asText()).map(why -> "a " + status + " whose detail " + why + ": " + abbreviate(body));
    }

    /**
     * Why {@code text} is not a readable sentence, or empty when it is: it must have at least two words and a letter,
     * and show nothing of the implementation (exception class names, stack frames, Java packages).
     */
    public static Optional<String> sentenceProblem(String text) {
        String stripped = text == null ? "" : text.strip();
        if (stripped.isEmpty()) {
            return Optional.of("is empty");
        }
        if (stripped.chars().noneMatch(Character::isLetter) || stripped.split("\\s+").length < 2) {
            return Optional.of("is not a sentence");
        }
        if (stripped.contains("Exception") || stripped.contains("\tat ") || stripped.contains("java.")
                || stripped.contains("io.reel.") || stripped.contains("software.amazon.")) {
            return Optional.of("shows the implementation");
        }
        return Optional.empty();
    }

    /** A header by name, whatever its case. */
    public static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }

    /** At most 300 characters of a body, for messages. */
    public static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "… (" + text.length() + " characters)";
    }
}
