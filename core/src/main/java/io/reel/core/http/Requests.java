package io.reel.core.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Reading API Gateway proxy requests, the same way in every function. */
public final class Requests {
    private Requests() {
    }

    /**
     * The JSON body as {@code type} (base64-decoded first if API Gateway encoded it), read by the strict mapper.
     *
     * @throws Json.InvalidJsonException with a message written for the client
     */
    public static <T> T jsonBody(APIGatewayProxyRequestEvent request, Class<T> type) {
        String body = request.getBody();
        if (Boolean.TRUE.equals(request.getIsBase64Encoded()) && body != null) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Json.InvalidJsonException("The body is not valid base64.", e);
            }
        }
        return Json.read(body, type);
    }
}
