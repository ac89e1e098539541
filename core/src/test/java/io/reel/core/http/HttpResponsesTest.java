package io.reel.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Env;
import io.reel.core.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpResponsesTest {
    private final HttpResponses responses = HttpResponses.create(Env.of(Map.of()));

    @Test
    void problem_isRfc9457ProblemJson() throws Exception {
        var response = responses.problem(Problem.badRequest("Field 'title' is missing."));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        JsonNode body = Json.mapper().readTree(response.getBody());
        assertThat(body.get("type").asText()).isEqualTo("about:blank");
        assertThat(body.get("title").asText()).isEqualTo("Bad Request");
        assertThat(body.get("status").asInt()).isEqualTo(400);
        assertThat(body.get("detail").asText()).isEqualTo("Field 'title' is missing.");
    }

    @Test
    void problem_withExtraHeaders_keepsThem() {
        var response = responses.problem(Problem.tooManyRequests("Try again later."), Map.of("Retry-After", "8"));

        assertThat(response.getStatusCode()).isEqualTo(429);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "8");
    }

    @Test
    void internalError_revealsOnlyTheRequestId() {
        var response = responses.problem(Problem.internalError("req-123"));

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat(response.getBody()).contains("req-123").doesNotContain("Exception");
    }

    @Test
    void json_setsContentTypeAndNoStore() {
        var response = responses.ok(Map.of("ok", true));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo("{\"ok\":true}");
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .doesNotContainKey("Access-Control-Allow-Origin");
    }

    @Test
    void noContent_hasNoBody() {
        var response = responses.noContent();

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(response.getHeaders()).doesNotContainKey("Content-Type");
    }

    @Test
    void cors_whenConfigured_isOnEveryResponse() {
        var cors = HttpResponses.create(Env.of(Map.of("CORS_ALLOW_ORIGIN", "https://app.example.com")));

        assertThat(cors.ok(Map.of()).getHeaders())
                .containsEntry("Access-Control-Allow-Origin", "https://app.example.com")
                .containsEntry("Access-Control-Allow-Credentials", "true")
                .containsEntry("Vary", "Origin");
        assertThat(cors.problem(404, "No such video.").getHeaders())
                .containsEntry("Access-Control-Allow-Origin", "https://app.example.com");
    }

    @Test
    void problem_refusesASuccessStatus() {
        assertThatThrownBy(() -> Problem.of(200, "fine")).isInstanceOf(IllegalArgumentException.class);
    }
}
