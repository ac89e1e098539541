package io.reel.devserver.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One {@code AWS::Serverless::Function}, with Globals applied and every intrinsic resolved. */
public record FunctionDef(
        String logicalId,
        String handler,
        Duration timeout,
        int memoryMb,
        Map<String, String> environment,
        List<ApiRoute> routes,
        List<S3Trigger> s3Triggers) {

    public FunctionDef {
        environment = Map.copyOf(environment);
        routes = List.copyOf(routes);
        s3Triggers = List.copyOf(s3Triggers);
    }
}
