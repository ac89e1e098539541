package io.reel.core.token;

import io.reel.core.JsonValues;
import io.reel.core.port.TokenVerifier.InvalidTokenException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The JWS compact serialization (RFC 7515) as Reel's tokens use it: {@code base64url(header) "." base64url(payload)
 * "." base64url(signature)}, header and payload JSON objects, no padding. Read and written with Jackson's streaming
 * API ({@link JsonValues}), so neither the signer nor the verifier needs a JWT library or data binding.
 */
final class Jws {
    /** Deeper JSON than this in a header or payload is refused; Reel's own are one level deep. */
    private static final int MAX_DEPTH = 8;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A token split into its parts; the header is read, the payload is left for after the signature is checked. */
    record Parts(Map<String, Object> header, String payload, byte[] signingInput, byte[] signature) {
    }

    private Jws() {
    }

    static String sign(Map<String, Object> header, Map<String, Object> payload, Rs256Key key) {
        String signingInput = encode(JsonValues.toText(header)) + "." + encode(JsonValues.toText(payload));
        return signingInput + "." + ENCODER.encodeToString(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Splits a token of three base64url parts (the caller has checked the shape); the header must be a JSON object. */
    static Parts split(String token) {
        int first = token.indexOf('.');
        int second = token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new InvalidTokenException("not three parts");
        }
        return new Parts(object(token.substring(0, first), "header"), token.substring(first + 1, second),
                token.substring(0, second).getBytes(StandardCharsets.US_ASCII), decode(token.substring(second + 1), "signature"));
    }

    /** A base64url part that must hold a JSON object. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String part, String what) {
        Object value;
        try {
            value = JsonValues.read(decode(part, what), MAX_DEPTH);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("the " + what + " is not JSON: " + e.getMessage(), e);
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidTokenException("the " + what + " is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private static String encode(String json) {
        return ENCODER.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] decode(String part, String what) {
        try {
            return DECODER.decode(part);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("the " + what + " is not base64url", e);
        }
    }
}
