package io.reel.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.reel.core.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stream entry points' codec reads what Lambda's own serializer reads, and writes what it writes. */
class ApiGatewayJsonTest {
    static Stream<Path> proxySamples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../events"))) {
            List<Path> samples = files.filter(f -> f.getFileName().toString().matches("(auth|admin|media)-.*\\.json"))
                    .sorted().toList();
            assertThat(samples).hasSizeGreaterThan(20);
            return samples.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("proxySamples")
    void everyProxySample_readsAsTheRuntimeReadsIt(Path sample) throws IOException {
        byte[] json = Files.readAllBytes(sample);
        var runtime = LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, getClass().getClassLoader())
                .fromJson(new ByteArrayInputStream(json));

        APIGatewayProxyRequestEvent ours = ApiGatewayJson.readProxyRequest(new ByteArrayInputStream(json));

        assertThat(ours).isEqualTo(runtime);
        assertThat(ours.getHttpMethod()).isNotBlank();
        assertThat(ours.getRequestContext().getAuthorizer()).isEqualTo(runtime.getRequestContext().getAuthorizer());
    }

    @Test
    void theAuthorizerSample_readsAsTheRuntimeReadsIt() throws IOException {
        byte[] json = Files.readAllBytes(Path.of("../events/authorizer-allowed.json"));
        var runtime = LambdaEventSerializers.serializerFor(APIGatewayCustomAuthorizerEvent.class, getClass().getClassLoader())
                .fromJson(new ByteArrayInputStream(json));

        var ours = ApiGatewayJson.readAuthorizerEvent(new ByteArrayInputStream(json));

        assertThat(ours).isEqualTo(runtime);
        assertThat(ours.getMethodArn()).startsWith("arn:aws:execute-api:");
    }

    @Test
    void aResponse_isWrittenSoTheRuntimeReadsItBack_andNullsAreLeftOut() throws IOException {
        var response = new APIGatewayProxyResponseEvent().withStatusCode(201)
                .withHeaders(Map.of("Content-Type", "application/json", "X-Note", "caf\u00e9 \"quoted\""))
                .withMultiValueHeaders(Map.of("Set-Cookie", List.of("a=1", "b=2")))
                .withBody("{\"videoId\":\"k7t3\"}\n\u2028").withIsBase64Encoded(false);
        var out = new ByteArrayOutputStream();

        ApiGatewayJson.writeProxyResponse(response, out);

        var back = LambdaEventSerializers.serializerFor(APIGatewayProxyResponseEvent.class, getClass().getClassLoader())
                .fromJson(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back).isEqualTo(response);
        var bare = new ByteArrayOutputStream();
        ApiGatewayJson.writeProxyResponse(new APIGatewayProxyResponseEvent().withStatusCode(204), bare);
        assertThat(bare.toString(StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":204}");
    }

    @Test
    void aPolicy_isWrittenAsJson() throws IOException {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("principalId", "u-1");
        policy.put("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Allow",
                "Action", "execute-api:Invoke", "Resource", new String[] {"arn:a", "arn:b"}))));
        policy.put("context", Map.of("scopes", "videos:read", "tokenVersion", 3, "admin", false));
        policy.put("usageIdentifierKey", null);
        var out = new ByteArrayOutputStream();

        ApiGatewayJson.writeValue(policy, out);

        @SuppressWarnings("unchecked")
        Map<String, Object> back = Json.mapper().readValue(out.toByteArray(), Map.class);
        assertThat(back).containsEntry("principalId", "u-1").containsEntry("usageIdentifierKey", null)
                .containsEntry("context", Map.of("scopes", "videos:read", "tokenVersion", 3, "admin", false))
                .containsEntry("policyDocument", Map.of("Version", "2012-10-17", "Statement", List.of(Map.of(
                        "Effect", "Allow", "Action", "execute-api:Invoke", "Resource", List.of("arn:a", "arn:b")))));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"principalId\":\"u-1\",\"policyDocument\":");
        assertThatThrownBy(() -> ApiGatewayJson.writeValue(Map.of("x", new Object()), new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownFields_areSkipped_andNumbersOrBooleansInTextFields_areTheirText() throws IOException {
        String json = "{\"future\":{\"nested\":[1,{\"a\":2}]},\"httpMethod\":\"GET\",\"resource\":\"/videos\","
                + "\"headers\":{\"X-Count\":3,\"X-On\":true},\"requestContext\":{\"authorizer\":{\"userId\":\"u-1\","
                + "\"tokenVersion\":2,\"claims\":{\"sub\":\"u-1\"}},\"later\":[]},\"body\":null}";

        var event = ApiGatewayJson.readProxyRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        assertThat(event.getHttpMethod()).isEqualTo("GET");
        assertThat(event.getHeaders()).containsEntry("X-Count", "3").containsEntry("X-On", "true");
        assertThat(event.getRequestContext().getAuthorizer()).containsEntry("userId", "u-1").containsEntry("tokenVersion", 2)
                .containsEntry("claims", Map.of("sub", "u-1"));
        assertThat(event.getBody()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"text\"", "{\"headers\":[\"a\"]}", "{\"headers\":{\"a\":{\"b\":1}}}",
            "{\"multiValueHeaders\":{\"a\":\"b\"}}", "{\"requestContext\":\"x\"}", "{\"httpMethod\":\"GET\"",
            "{\"body\":[1]}"})
    void malformedEvents_failWithAnIOException(String json) {
        assertThatThrownBy(() -> ApiGatewayJson.readProxyRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IOException.class);
    }
}
