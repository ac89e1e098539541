package io.reel.bench.devserver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;

/** The trivial handler the devserver load test calls: it does nothing but answer, so the figure is the platform's. */
public final class PingHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json");

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        String user = String.valueOf(event.getRequestContext().getAuthorizer().get("principalId"));
        return new APIGatewayProxyResponseEvent().withStatusCode(200).withHeaders(HEADERS).withBody("{\"pong\":\"" + user + "\"}");
    }
}
