package io.reel.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reading API Gateway proxy requests, the same way in every function. */
public final class Requests {
    private Requests() {
    }

    /**
     * The JSON body as {@code type} (base64-decoded first if API Gateway encoded it), read strictly by
     * {@link io.reel.core.JsonBodies}: {@link Json#read}'s rules without data binding.
     *
     * @throws Json.InvalidJsonException with a message written for the client
     */
    public static <T extends Record> T jsonBody(APIGatewayProxyRequestEvent request, Class<T> type) {
        requireJsonContentType(request);
        String body = request.getBody();
        if (Boolean.TRUE.equals(request.getIsBase64Encoded()) && body != null) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Json.InvalidJsonException("The body is not valid base64.", e);
            }
        }
        return io.reel.core.JsonBodies.read(body, type);
    }

    /**
     * Refuses (415) a request whose {@code Content-Type} names anything but JSON ({@code application/json} or a
     * {@code +json} type). A browser always names a type for a body it sends without asking (a form, a no-cors
     * fetch), and none of those types is JSON, so a cross-site page cannot post a JSON body here - the login CSRF
     * that accepting JSON under any type allowed. A request with no type at all (curl, the CLI) is read as JSON.
     */
    public static void requireJsonContentType(APIGatewayProxyRequestEvent request) {
        Optional<String> contentType = header(request, "Content-Type");
        if (contentType.isEmpty()) {
            return;
        }
        String mediaType = contentType.get().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !(mediaType.startsWith("application/") && mediaType.endsWith("+json"))) {
            throw new Json.InvalidJsonException(415, "The body must be sent as Content-Type: application/json, not "
                    + (mediaType.isEmpty() ? "an empty type" : mediaType.length() > 100 ? "that type" : mediaType) + ".");
        }
    }

    /** A request header by name, whatever its case (API Gateway keeps the client's). */
    public static Optional<String> header(APIGatewayProxyRequestEvent request, String name) {
        Map<String, String> headers = request.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && header.getValue() != null) {
                    return Optional.of(header.getValue());
                }
            }
        }
        Map<String, List<String>> multi = request.getMultiValueHeaders();
        if (multi != null) {
            for (Map.Entry<String, List<String>> header : multi.entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && header.getValue() != null
                        && !header.getValue().isEmpty()) {
                    return Optional.ofNullable(header.getValue().get(0));
                }
            }
        }
        return Optional.empty();
    }
}
