package io.reel.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.reel.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog("AuthHandler", new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void info_writesOneJsonLineWithTheContext() throws Exception {
        log.info("login", Map.of("requestId", "r-1", "outcome", "ok"));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n").hasLineCount(1);
        JsonNode line = Json.mapper().readTree(text);
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("logger").asText()).isEqualTo("AuthHandler");
        assertThat(line.path("timestamp").asText()).isEqualTo("2026-11-24T10:00:00Z");
        assertThat(line.path("requestId").asText()).isEqualTo("r-1");
    }

    @Test
    void error_keepsTheStackTraceOnOneLine_andContextCannotOverrideTheLevel() throws Exception {
        log.error("failed\nwith a newline", Map.of("level", "INFO"), new IllegalStateException("boom"));

        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).hasLineCount(1);
        JsonNode line = Json.mapper().readTree(text);
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("stackTrace").asText()).contains("IllegalStateException: boom");
    }
}
