package io.reel.bench.cold;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The yardstick of {@link ColdStart}: a plain AWS SDK v2 + DynamoDB function as AWS's samples write one (a typed
 * {@code RequestHandler}, the SDK's default HTTP client and credential chain, a client built in the constructor, one
 * GetItem, the row written out with Jackson). The samples wire with Dagger; this builds its one client by hand.
 */
public final class PlainSampleHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final DynamoDbClient dynamoDb;
    private final String table = System.getenv("VIDEOS_TABLE");
    private final ObjectMapper mapper = new ObjectMapper();

    public PlainSampleHandler() {
        var builder = DynamoDbClient.builder().region(Region.of(System.getenv("AWS_REGION")));
        String endpoint = System.getenv("AWS_ENDPOINT_URL_DYNAMODB");
        if (endpoint != null) {
            builder.endpointOverride(java.net.URI.create(endpoint));
        }
        this.dynamoDb = builder.build();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String id = request.getPathParameters().get("id");
        Map<String, AttributeValue> item = dynamoDb.getItem(r -> r.tableName(table)
                .key(Map.of("videoId", AttributeValue.fromS(id)))).item();
        if (item == null || item.isEmpty()) {
            return new APIGatewayProxyResponseEvent().withStatusCode(404);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        item.forEach((name, value) -> body.put(name, value.s() != null ? value.s() : value.n()));
        try {
            return new APIGatewayProxyResponseEvent().withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", "application/json")).withBody(mapper.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
