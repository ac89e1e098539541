package io.reel.devserver.app;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * One of the API's {@code GatewayResponses}: how API Gateway answers a request it refuses itself (no route, no valid
 * token, a denying policy, a failed integration) instead of its default {@code {"message": …}}. Header values are the
 * quoted literals the template gives ({@code "'application/problem+json'"}, already unquoted here); the body is the
 * {@code application/json} mapping template.
 *
 * @param type       a response type (UNAUTHORIZED, ACCESS_DENIED, …) or DEFAULT_4XX / DEFAULT_5XX
 * @param statusCode the status to answer with instead of the type's own, if the template sets one
 */
public record GatewayResponseDef(String type, Optional<Integer> statusCode, Map<String, String> headers,
                                 Optional<String> template) {
    public GatewayResponseDef {
        headers = Map.copyOf(headers);
    }

    /**
     * The body for one refusal: the template with API Gateway's {@code $context} variables filled in —
     * {@code error.responseType}, {@code error.statusCode}, {@code error.message}, {@code error.messageString} (the
     * message as a quoted JSON string) and {@code requestId}. Other references are left as written, as VTL leaves
     * an undefined reference.
     */
    public byte[] render(String responseType, int status, String message, String requestId) {
        String body = template.orElse("");
        String quoted = message == null ? "null" : "\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        body = body.replace("$context.error.messageString", quoted)
                .replace("$context.error.message", message == null ? "" : message)
                .replace("$context.error.responseType", responseType)
                .replace("$context.error.statusCode", Integer.toString(status))
                .replace("$context.requestId", requestId);
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
