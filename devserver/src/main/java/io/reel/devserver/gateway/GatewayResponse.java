package io.reel.devserver.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** What API Gateway answers: status, headers (repeatable), body bytes. */
public record GatewayResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public GatewayResponse {
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** API Gateway's own error: {@code {"message": "..."}} with its error type header. */
    static GatewayResponse error(int status, String errorType, String messageKey, String message, String requestId) {
        String json = "{\"" + messageKey + "\":" + (message == null ? "null" : "\"" + message + "\"") + "}";
        return new GatewayResponse(status, List.of(
                Map.entry("Content-Type", "application/json"),
                Map.entry("x-amzn-RequestId", requestId),
                Map.entry("x-amzn-ErrorType", errorType)), json.getBytes(StandardCharsets.UTF_8));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).reduce((a, b) -> b).orElse(null);
    }
}
