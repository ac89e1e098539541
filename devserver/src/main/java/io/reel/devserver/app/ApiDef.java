package io.reel.devserver.app;

import java.util.List;
import java.util.Map;

/**
 * The REST API: stage, binary media types, authorizers, and the gateway's own responses by type
 * ({@code GatewayResponses}; empty: API Gateway's default {@code {"message": …}} bodies); with an OpenAPI
 * definition included, those come from it, as does each route's authorizer.
 */
public record ApiDef(String logicalId, String stage, List<String> binaryMediaTypes, Map<String, AuthorizerDef> authorizers,
                     Map<String, GatewayResponseDef> gatewayResponses, java.util.Optional<OpenApiDefinition> openApi) {
    public ApiDef {
        binaryMediaTypes = List.copyOf(binaryMediaTypes);
        authorizers = Map.copyOf(authorizers);
        gatewayResponses = Map.copyOf(gatewayResponses);
    }

    public ApiDef(String logicalId, String stage, List<String> binaryMediaTypes, Map<String, AuthorizerDef> authorizers) {
        this(logicalId, stage, binaryMediaTypes, authorizers, Map.of(), java.util.Optional.empty());
    }

    /**
     * The gateway response API Gateway uses for a refusal of this type and status: the type's own if declared, else
     * DEFAULT_4XX or DEFAULT_5XX by status, else none.
     */
    public java.util.Optional<GatewayResponseDef> gatewayResponse(String type, int status) {
        GatewayResponseDef own = gatewayResponses.get(type);
        if (own != null) {
            return java.util.Optional.of(own);
        }
        return java.util.Optional.ofNullable(gatewayResponses.get(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX"));
    }

    /** Whether a request body of this content type travels base64-encoded, as API Gateway decides it. */
    public boolean isBinary(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return binaryMediaTypes.stream().map(t -> t.toLowerCase(java.util.Locale.ROOT)).anyMatch(pattern ->
                pattern.equals("*/*") || pattern.equals(type)
                        || pattern.endsWith("/*") && type.startsWith(pattern.substring(0, pattern.length() - 1)));
    }
}
