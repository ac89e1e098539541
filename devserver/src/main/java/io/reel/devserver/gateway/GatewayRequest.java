package io.reel.devserver.gateway;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it reaches API Gateway, independent of the HTTP server.
 *
 * @param path the raw (still percent-encoded) path below the API's base, starting with /
 * @param rawQuery the raw query string, or null
 */
public record GatewayRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
                             byte[] body, String sourceIp, String protocol) {
    public GatewayRequest {
        headers = List.copyOf(headers);
    }

    /** The last value of a header (API Gateway's single-value view), case-insensitively. */
    public String header(String name) {
        String value = null;
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                value = header.getValue();
            }
        }
        return value;
    }
}
