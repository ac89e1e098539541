package io.reel.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.reel.core.Env;
import io.reel.core.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds API Gateway proxy responses: JSON bodies, RFC 9457 {@code application/problem+json} errors, and the
 * headers every API response carries (no caching of personal data, no MIME sniffing, CORS when configured).
 *
 * <p>{@code CORS_ALLOW_ORIGIN}: an origin (or {@code *}) allowed to call the API from another site. Unset by
 * default: the web page calls the API on its own origin, behind CloudFront and under the devserver alike.
 */
public final class HttpResponses {
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    private final Map<String, String> commonHeaders;

    private HttpResponses(Map<String, String> commonHeaders) {
        this.commonHeaders = Map.copyOf(commonHeaders);
    }

    public static HttpResponses create(Env env) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        env.optional("CORS_ALLOW_ORIGIN").ifPresent(origin -> {
            headers.put("Access-Control-Allow-Origin", origin);
            headers.put("Access-Control-Allow-Headers", "Authorization, Content-Type");
            headers.put("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
            headers.put("Access-Control-Max-Age", "600");
            if (!"*".equals(origin)) {
                headers.put("Access-Control-Allow-Credentials", "true");
                headers.put("Vary", "Origin");
            }
        });
        return new HttpResponses(headers);
    }

    /** Whether {@code origin} is the one other site allowed to call the API with credentials (CORS_ALLOW_ORIGIN). */
    public boolean allowsCredentialedOrigin(String origin) {
        String allowed = commonHeaders.get("Access-Control-Allow-Origin");
        return origin != null && allowed != null && !"*".equals(allowed) && allowed.equals(origin);
    }

    public APIGatewayProxyResponseEvent ok(Object body) {
        return json(200, body);
    }

    public APIGatewayProxyResponseEvent json(int status, Object body) {
        return response(status, JSON, Json.write(body), Map.of());
    }

    public APIGatewayProxyResponseEvent noContent() {
        return response(204, null, null, Map.of());
    }

    /** A text body of any media type (a playlist, a WebVTT file); {@code extraHeaders} may override the common ones. */
    public APIGatewayProxyResponseEvent text(int status, String contentType, String body, Map<String, String> extraHeaders) {
        return response(status, contentType, body, extraHeaders);
    }

    public APIGatewayProxyResponseEvent problem(Problem problem) {
        return problem(problem, Map.of());
    }

    /** A problem with extra headers, such as {@code Retry-After} on a 429 or {@code WWW-Authenticate} on a 401. */
    public APIGatewayProxyResponseEvent problem(Problem problem, Map<String, String> extraHeaders) {
        return response(problem.status(), PROBLEM_JSON, Json.write(problem), extraHeaders);
    }

    public APIGatewayProxyResponseEvent problem(int status, String detail) {
        return problem(Problem.of(status, detail));
    }

    private APIGatewayProxyResponseEvent response(int status, String contentType, String body, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(commonHeaders);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.putAll(extra);
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false);
    }
}
