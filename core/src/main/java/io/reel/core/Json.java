package io.reel.core;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON for the whole codebase. The one configured ObjectMapper ({@link #mapper()}, {@link #read}): reading is strict,
 * because request bodies come from strangers: unknown fields, trailing garbage, and numbers or booleans where text is
 * expected are all rejected with a message a client can act on. Writing omits nulls and writes instants as ISO-8601
 * text. This class names no data-binding class itself ({@link JsonDataBinding} holds the mapper), so a function that
 * writes only plain bodies ({@link JsonValues}) and reads bodies with {@link JsonBodies} never loads data binding.
 */
public final class Json {
    private Json() {
    }

    public static ObjectMapper mapper() {
        return JsonDataBinding.MAPPER;
    }

    /**
     * The value as JSON: by Jackson's generator alone for what response bodies are made of, else by the mapper. Under
     * the system property {@code reel.json.plainOnly} (the tests of functions shipped without data binding) a value
     * left to the mapper is an error instead.
     */
    public static String write(Object value) {
        java.util.Optional<String> plain = JsonValues.bodyText(value);
        if (plain.isPresent()) {
            return plain.get();
        }
        if (Boolean.getBoolean("reel.json.plainOnly")) {
            throw new IllegalStateException("A " + value.getClass().getName() + " needs data binding to be written, which "
                    + "this function does not ship: make it a plain record, map or list (io.reel.core.JsonValues)");
        }
        return JsonDataBinding.write(value);
    }

    /** Reads a body a client sent; every failure is an {@link InvalidJsonException} whose message is safe to return. */
    public static <T> T read(String json, Class<T> type) {
        return JsonDataBinding.read(json, type);
    }

    /** Whether every surrogate in {@code text} is half of a pair: text that UTF-8 can carry unchanged. */
    public static boolean isWellFormed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** A body that cannot be read as the expected JSON; the message is written for the client. */
    public static final class InvalidJsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public InvalidJsonException(String message) {
            this(400, message);
        }

        public InvalidJsonException(String message, Throwable cause) {
            super(message, cause);
            this.status = 400;
        }

        /** A refusal with another status than 400: 415 for a body that does not say it is JSON. */
        public InvalidJsonException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The HTTP status to answer with. */
        public int status() {
            return status;
        }
    }
}
