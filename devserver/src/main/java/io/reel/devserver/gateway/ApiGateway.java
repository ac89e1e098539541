package io.reel.devserver.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reel.core.Json;
import io.reel.devserver.app.ApiDef;
import io.reel.devserver.app.ApiRoute;
import io.reel.devserver.lambda.FunctionException;
import io.reel.devserver.lambda.LambdaFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway's REST proxy integration: route, authorize, build the {@code APIGatewayProxyRequestEvent} exactly as
 * AWS builds it, invoke the function, and map its response, answering with API Gateway's own error bodies when
 * there is no route (403), no valid token (401), a denying policy (403), a failing or malformed function (502),
 * a function past its Timeout (504) or a body over 10 MB (413).
 */
public final class ApiGateway {
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiGateway.class);
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private final ApiDef api;
    private final RouteTable routes;
    private final Map<String, LambdaFunction> functions;
    private final Map<String, TokenAuthorizer> authorizers;
    private final String region;
    private final String accountId;

    public ApiGateway(ApiDef api, RouteTable routes, Map<String, LambdaFunction> functions,
                      Map<String, TokenAuthorizer> authorizers, String region, String accountId) {
        this.api = api;
        this.routes = routes;
        this.functions = Map.copyOf(functions);
        this.authorizers = Map.copyOf(authorizers);
        this.region = region;
        this.accountId = accountId;
    }

    public GatewayResponse handle(GatewayRequest request) {
        String requestId = UUID.randomUUID().toString();
        if (request.body() != null && request.body().length > MAX_BODY_BYTES) {
            return tooLarge(requestId);
        }
        Optional<RouteTable.Match> match = routes.match(request.method(), request.path());
        if (match.isEmpty()) {
            return refuse(403, "MISSING_AUTHENTICATION_TOKEN", "MissingAuthenticationTokenException", "message",
                    "Missing Authentication Token", requestId);
        }
        ApiRoute route = match.get().route();
        Map<String, Object> authorizerContext = null;
        if (route.authorizer().isPresent()) {
            TokenAuthorizer authorizer = authorizers.get(route.authorizer().get());
            String token = request.header(authorizer.definition().identityHeader());
            TokenAuthorizer.Result result = authorizer.authorize(token, methodArn(request));
            switch (result.outcome()) {
                case UNAUTHORIZED -> {
                    return refuse(401, "UNAUTHORIZED", "UnauthorizedException", "message", "Unauthorized", requestId);
                }
                case EXPLICIT_DENY -> {
                    return refuse(403, "ACCESS_DENIED", "AccessDeniedException", "Message",
                            "User is not authorized to access this resource with an explicit deny", requestId);
                }
                case NOT_ALLOWED -> {
                    return refuse(403, "ACCESS_DENIED", "AccessDeniedException", "Message",
                            "User is not authorized to access this resource", requestId);
                }
                case CONFIGURATION_ERROR -> {
                    return refuse(500, "AUTHORIZER_CONFIGURATION_ERROR", "AuthorizerConfigurationException", "message", null, requestId);
                }
                case ALLOW -> {
                    authorizerContext = new LinkedHashMap<>(result.context());
                    authorizerContext.put("principalId", result.principalId());
                    authorizerContext.put("integrationLatency", 0);
                }
            }
        }
        LambdaFunction function = functions.get(route.functionId());
        byte[] output;
        try {
            output = function.invoke(event(request, match.get(), authorizerContext, requestId));
        } catch (FunctionException e) {
            if (e.timedOut()) {
                LOG.warn("function={} requestId={} timed out after {}", route.functionId(), requestId, function.definition().timeout());
                return refuse(504, "INTEGRATION_TIMEOUT", "IntegrationTimeout", "message", "Endpoint request timed out", requestId);
            }
            LOG.error("function={} requestId={} threw", route.functionId(), requestId, e.getCause());
            return refuse(502, "DEFAULT_5XX", "InternalServerErrorException", "message", "Internal server error", requestId);
        }
        return response(output, route, requestId);
    }

    /** API Gateway's answer to a body over its 10 MB limit. */
    public GatewayResponse tooLarge(String requestId) {
        return refuse(413, "REQUEST_TOO_LARGE", "RequestTooLarge", "message", "Request Too Long", requestId);
    }

    /**
     * One of API Gateway's own refusals: the template's gateway response for its type (or DEFAULT_4XX/5XX) where it
     * declares one, as AWS answers; API Gateway's default {@code {"message": …}} otherwise.
     */
    private GatewayResponse refuse(int status, String responseType, String errorType, String messageKey, String message,
                                   String requestId) {
        return api.gatewayResponse(responseType, status)
                .map(custom -> {
                    int answered = custom.statusCode().orElse(status);
                    List<Map.Entry<String, String>> headers = new ArrayList<>();
                    if (custom.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                        headers.add(Map.entry("Content-Type", "application/json"));
                    }
                    headers.addAll(custom.headers().entrySet());
                    headers.add(Map.entry("x-amzn-RequestId", requestId));
                    headers.add(Map.entry("x-amzn-ErrorType", errorType));
                    return new GatewayResponse(answered, headers, custom.render(responseType, answered, message, requestId));
                })
                .orElseGet(() -> GatewayResponse.error(status, errorType, messageKey, message, requestId));
    }

    /** {@code arn:aws:execute-api:region:account:apiId/stage/METHOD/path}, the resource authorizer policies name. */
    String methodArn(GatewayRequest request) {
        String path = request.path().startsWith("/") ? request.path().substring(1) : request.path();
        return "arn:aws:execute-api:" + region + ":" + accountId + ":" + api.logicalId() + "/" + api.stage() + "/"
                + request.method() + "/" + path;
    }

    private byte[] event(GatewayRequest request, RouteTable.Match match, Map<String, Object> authorizer, String requestId) {
        ObjectNode event = Json.mapper().createObjectNode();
        String decodedPath = decodePath(request.path());
        event.put("resource", match.route().path());
        event.put("path", decodedPath);
        event.put("httpMethod", request.method());
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : request.headers()) {
            headers.put(header.getKey(), header.getValue());
            multiHeaders.computeIfAbsent(header.getKey(), k -> new ArrayList<>()).add(header.getValue());
        }
        event.set("headers", headers.isEmpty() ? null : Json.mapper().valueToTree(headers));
        event.set("multiValueHeaders", multiHeaders.isEmpty() ? null : Json.mapper().valueToTree(multiHeaders));
        Map<String, List<String>> query = query(request.rawQuery());
        Map<String, String> singleQuery = new LinkedHashMap<>();
        query.forEach((k, v) -> singleQuery.put(k, v.get(v.size() - 1)));
        event.set("queryStringParameters", query.isEmpty() ? null : Json.mapper().valueToTree(singleQuery));
        event.set("multiValueQueryStringParameters", query.isEmpty() ? null : Json.mapper().valueToTree(query));
        event.set("pathParameters", match.pathParameters().isEmpty() ? null : Json.mapper().valueToTree(match.pathParameters()));
        event.putNull("stageVariables");
        ObjectNode context = event.putObject("requestContext");
        context.put("resourceId", Integer.toHexString(match.route().path().hashCode()));
        context.put("resourcePath", match.route().path());
        context.put("httpMethod", request.method());
        context.put("extendedRequestId", requestId.substring(0, 8));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("requestTimeEpoch", now.toInstant().toEpochMilli());
        context.put("path", "/" + api.stage() + decodedPath);
        context.put("accountId", accountId);
        context.put("protocol", request.protocol());
        context.put("stage", api.stage());
        context.put("domainPrefix", "localhost");
        context.put("requestId", requestId);
        context.put("domainName", "localhost");
        context.put("apiId", api.logicalId());
        ObjectNode identity = context.putObject("identity");
        identity.put("sourceIp", request.sourceIp());
        identity.put("userAgent", request.header("User-Agent"));
        for (String field : List.of("cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "apiKey",
                "principalOrgId", "accessKey", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "user")) {
            identity.putNull(field);
        }
        if (authorizer != null) {
            context.set("authorizer", Json.mapper().valueToTree(authorizer));
        }
        byte[] body = request.body();
        boolean binary = body != null && body.length > 0 && api.isBinary(request.header("Content-Type"));
        if (body == null || body.length == 0) {
            event.putNull("body");
        } else {
            event.put("body", binary ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", binary);
        try {
            return Json.mapper().writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GatewayResponse response(byte[] output, ApiRoute route, String requestId) {
        JsonNode response;
        try {
            response = output == null ? null : Json.mapper().readTree(output);
        } catch (IOException e) {
            response = null;
        }
        if (response == null || !response.isObject() || !response.path("statusCode").canConvertToInt()
                || response.path("statusCode").asInt() < 100 || response.path("statusCode").asInt() > 599) {
            LOG.error("function={} requestId={} returned a malformed proxy response (needs statusCode 100-599)", route.functionId(), requestId);
            return refuse(502, "DEFAULT_5XX", "InternalServerErrorException", "message", "Internal server error", requestId);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : response.path("multiValueHeaders").properties()) {
            header.getValue().forEach(value -> headers.add(Map.entry(header.getKey(), value.asText())));
            seen.put(header.getKey().toLowerCase(Locale.ROOT), true);
        }
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            if (!seen.containsKey(header.getKey().toLowerCase(Locale.ROOT)) && !header.getValue().isNull()) {
                headers.add(Map.entry(header.getKey(), header.getValue().asText()));
            }
        }
        headers.add(Map.entry("x-amzn-RequestId", requestId));
        JsonNode bodyNode = response.path("body");
        byte[] body;
        if (bodyNode.isNull() || bodyNode.isMissingNode()) {
            body = new byte[0];
        } else if (response.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                LOG.error("function={} requestId={} set isBase64Encoded but the body is not base64", route.functionId(), requestId);
                return refuse(502, "DEFAULT_5XX", "InternalServerErrorException", "message", "Internal server error", requestId);
            }
        } else {
            body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
        }
        return new GatewayResponse(response.get("statusCode").asInt(), headers, body);
    }

    private static String decodePath(String rawPath) {
        return String.join("/", java.util.Arrays.stream(rawPath.split("/", -1)).map(RouteTable::decode).toList());
    }

    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1));
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static String decodeQuery(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return raw; // API Gateway passes a malformed escape through rather than failing the request
        }
    }
}
