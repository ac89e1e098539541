package io.reel.bench.devserver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import java.util.List;
import java.util.Map;

/** A TOKEN authorizer that allows the whole API for any well-formed token: the load test measures the platform. */
public final class AllowAuthorizer implements RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> {
    @Override
    public Map<String, Object> handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String[] arn = event.getMethodArn().split("/");
        return Map.of("principalId", "bench-user",
                "policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Action", "execute-api:Invoke", "Effect", "Allow", "Resource", arn[0] + "/" + arn[1] + "/*"))),
                "context", Map.of("userId", "bench-user"));
    }
}
