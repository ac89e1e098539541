package io.reel.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.reel.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RequestsTest {
    record Body(String title) {
    }

    @Test
    void readsPlainAndBase64Bodies_strictly() {
        assertThat(Requests.jsonBody(new APIGatewayProxyRequestEvent().withBody("{\"title\":\"Ünï\"}"), Body.class).title())
                .isEqualTo("Ünï");
        String encoded = Base64.getEncoder().encodeToString("{\"title\":\"Ünï\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Requests.jsonBody(new APIGatewayProxyRequestEvent().withBody(encoded).withIsBase64Encoded(true), Body.class)
                .title()).isEqualTo("Ünï");
        assertThatThrownBy(() -> Requests.jsonBody(new APIGatewayProxyRequestEvent().withBody("%%%").withIsBase64Encoded(true),
                Body.class)).isInstanceOf(Json.InvalidJsonException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> Requests.jsonBody(new APIGatewayProxyRequestEvent().withBody("{\"title\":\"a\",\"x\":1}"),
                Body.class)).isInstanceOf(Json.InvalidJsonException.class);
    }

    @Test
    void aBodyThatDoesNotSayItIsJson_is415_soNoFormCanPostIt() {
        String body = "{\"title\":\"x\"}";
        for (String type : new String[] {"text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""}) {
            var request = new APIGatewayProxyRequestEvent().withBody(body).withHeaders(java.util.Map.of("content-type", type));
            assertThatThrownBy(() -> Requests.jsonBody(request, Body.class)).as(type).isInstanceOf(Json.InvalidJsonException.class)
                    .satisfies(e -> assertThat(((Json.InvalidJsonException) e).status()).isEqualTo(415))
                    .hasMessageContaining("application/json");
        }
        for (String type : new String[] {"application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json"}) {
            var request = new APIGatewayProxyRequestEvent().withBody(body).withHeaders(java.util.Map.of("Content-Type", type));
            assertThat(Requests.jsonBody(request, Body.class).title()).as(type).isEqualTo("x");
        }
        var multi = new APIGatewayProxyRequestEvent().withBody(body)
                .withMultiValueHeaders(java.util.Map.of("CONTENT-TYPE", java.util.List.of("text/plain")));
        assertThatThrownBy(() -> Requests.jsonBody(multi, Body.class)).isInstanceOf(Json.InvalidJsonException.class);
    }
}
