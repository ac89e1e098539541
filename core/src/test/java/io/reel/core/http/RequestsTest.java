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
}
