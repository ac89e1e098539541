package io.reel.devserver.app;

import java.util.List;
import java.util.Map;

/** The REST API: stage, binary media types and authorizers. */
public record ApiDef(String logicalId, String stage, List<String> binaryMediaTypes, Map<String, AuthorizerDef> authorizers) {
    public ApiDef {
        binaryMediaTypes = List.copyOf(binaryMediaTypes);
        authorizers = Map.copyOf(authorizers);
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
