package io.reel.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.reel.core.Json.InvalidJsonException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * Json's data binding, apart so that naming {@link Json} loads none of it: the API functions read and write bodies with
 * Jackson's streaming API ({@link JsonBodies}, {@link JsonValues}) and ship without data binding where nothing else
 * needs it (docs/performance.md, "Cold starts"). Loaded on first use: {@link Json#mapper()}, {@link Json#read}, or a
 * value {@link Json#write} leaves to the mapper.
 */
final class JsonDataBinding {
    static final ObjectMapper MAPPER = createMapper();

    private JsonDataBinding() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new InvalidJsonException("The request body is empty; a JSON object was expected.");
        }
        T value;
        try {
            value = MAPPER.readValue(json, type);
        } catch (UnpairedSurrogateException e) {
            throw new InvalidJsonException("Field '" + path(e) + "' is not valid Unicode text: it contains an unpaired "
                    + "surrogate (an escape from \\ud800 to \\udfff without its pair).", e);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidJsonException("Unknown field '" + e.getPropertyName() + "'.", e);
        } catch (InvalidFormatException e) {
            throw new InvalidJsonException("Field '" + path(e) + "' has a value of the wrong type or format.", e);
        } catch (MismatchedInputException e) {
            String where = path(e);
            throw new InvalidJsonException(where.isEmpty()
                    ? "The request body does not have the expected shape; a JSON object was expected."
                    : "Field '" + where + "' is missing or has the wrong type.", e);
        } catch (JsonProcessingException e) {
            throw new InvalidJsonException("The request body is not valid JSON.", e);
        }
        if (value == null) {
            // The body `null` is valid JSON that Jackson reads as no object at all.
            throw new InvalidJsonException("The request body is null; a JSON object was expected.");
        }
        return value;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static ObjectMapper createMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.USE_DEFAULTS))
                .build();
        // Text is Unicode text: a lone "\ud800" would be written out as '?', so different passwords (or names) would
        // become one (RFC 7493, I-JSON, forbids them).
        mapper.registerModule(new com.fasterxml.jackson.databind.module.SimpleModule("well-formed-text")
                .addDeserializer(String.class, new WellFormedStrings()));
        // Text fields accept only JSON strings: {"password": 123} is a wrong type, not "123".
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // And no numbers or booleans from text ("12", "true") either.
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return mapper;
    }

    /** Strings as Jackson reads them, refused when they hold an unpaired UTF-16 surrogate. */
    private static final class WellFormedStrings extends com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        WellFormedStrings() {
            super(String.class);
        }

        @Override
        public String deserialize(com.fasterxml.jackson.core.JsonParser parser,
                                  com.fasterxml.jackson.databind.DeserializationContext context) throws java.io.IOException {
            String text = com.fasterxml.jackson.databind.deser.std.StringDeserializer.instance.deserialize(parser, context);
            if (text != null && !Json.isWellFormed(text)) {
                throw new UnpairedSurrogateException(parser);
            }
            return text;
        }

        @Override
        public com.fasterxml.jackson.databind.type.LogicalType logicalType() {
            return com.fasterxml.jackson.databind.type.LogicalType.Textual;
        }
    }

    private static final class UnpairedSurrogateException extends JsonMappingException {
        private static final long serialVersionUID = 1L;

        UnpairedSurrogateException(com.fasterxml.jackson.core.JsonParser parser) {
            super(parser, "unpaired surrogate");
        }
    }
}
