package io.reel.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * One API request as API Gateway's REST proxy integration hands it to a function: method, the route's resource, path
 * and query parameters, headers (single- and multi-valued, as API Gateway sends both), the body with its base64 flag,
 * and the authorizer's context (null: the route has no authorizer, or none ran).
 *
 * <p>Values may hold placeholders ({@code ⟨name⟩}) for what exists only when the try runs (a refresh token that is
 * still unused, a video that still awaits its upload); {@link #toEvent} fills them in.
 */
public record ApiRequest(String method, String resource, Map<String, String> pathParameters, Map<String, String> query,
                         Map<String, String> headers, String body, Boolean base64, Map<String, Object> caller) {

    /** A placeholder the property replaces when the try runs. */
    public static String placeholder(String name) {
        return "\u27e8" + name + "\u27e9";
    }

    /** The route as the handler sees it: {@code POST /auth/login}. */
    public String route() {
        return method + " " + resource;
    }

    /** The event API Gateway would send, placeholders filled in by {@code fill} (applied to every text value). */
    public APIGatewayProxyRequestEvent toEvent(UnaryOperator<String> fill) {
        Map<String, String> path = fillAll(pathParameters, fill);
        Map<String, String> params = fillAll(query, fill);
        Map<String, String> single = fillAll(headers, fill);
        String filledBody = body == null ? null : fill.apply(body);
        if (Boolean.TRUE.equals(base64) && filledBody != null && filledBody.startsWith(placeholder("base64"))) {
            filledBody = JsonText.base64(filledBody.substring(placeholder("base64").length()));
        }
        String concretePath = resource;
        if (path != null) {
            for (Map.Entry<String, String> parameter : path.entrySet()) {
                concretePath = concretePath.replace("{" + parameter.getKey() + "}", String.valueOf(parameter.getValue()));
            }
        }
        String requestId = UUID.randomUUID().toString();
        ProxyRequestContext context = new ProxyRequestContext().withResourcePath(resource).withHttpMethod(method)
                .withRequestId(requestId).withStage("prod").withPath("/prod" + concretePath).withAccountId("123456789012")
                .withApiId("fuzz");
        if (caller != null) {
            Map<String, Object> authorizer = new LinkedHashMap<>();
            caller.forEach((k, v) -> authorizer.put(k, v instanceof String text ? fill.apply(text) : v));
            context.setAuthorizer(authorizer);
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(concretePath)
                .withPathParameters(path).withQueryStringParameters(params).withMultiValueQueryStringParameters(multi(params))
                .withHeaders(single).withMultiValueHeaders(multi(single)).withBody(filledBody).withIsBase64Encoded(base64)
                .withRequestContext(context);
    }

    private static Map<String, String> fillAll(Map<String, String> values, UnaryOperator<String> fill) {
        if (values == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v == null ? null : fill.apply(v)));
        return out;
    }

    private static Map<String, List<String>> multi(Map<String, String> values) {
        if (values == null) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        return out;
    }
}
